"""allauth's OpenID Connect URLs, served by views that use the portal's stricter adapter."""
