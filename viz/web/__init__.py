"""The web pages' templates (``templates/``) and hand-written CSS and JavaScript (``static/``).

Served by :mod:`api.routers.pages`; nothing comes from a CDN, and the network drawing library
(vis-network) is served from the installed pyvis package.
"""
