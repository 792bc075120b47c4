"""The directory: agencies (OPD and others), people, forums and venues."""
