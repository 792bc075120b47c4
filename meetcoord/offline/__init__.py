"""Offline-first pages (issue 16): the service worker and the installable web app.

The personal page, the live phone view, the registration desk and the kiosk are opened
where the network comes and goes. ``views`` serves the service worker from the root (so its
scope covers ``/i/...``, ``/desk/...`` and ``/kiosk/...``) and the web app manifest; the
worker itself and the pages' shared helpers are static/js/sw.js and static/js/offline.js.
The app icons (static/img/icons/, 192 and 512 px, plain and maskable) were drawn once with
Pillow from the shapes of static/img/logo.svg and are committed as they are.
"""
