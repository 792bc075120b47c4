"""Dashboards of a forum and a series: figures, charts, pages, API and the PDF summary."""
