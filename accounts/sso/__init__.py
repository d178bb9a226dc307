"""Single sign-on: each organisation's own identity provider (OpenID Connect or SAML 2.0).

The configuration is `accounts.models.IdentityProvider`, kept by the secretariat administrator in
the portal; django-allauth's `openid_connect` and `saml` providers do the protocol work and read
their apps from `config.social_apps` instead of allauth's own SocialApp table (the client secret is
stored encrypted, see `crypto`). Who may come in is decided in `admission`, strong authentication
in `strength`, and sessions a provider ended are closed by `sessions.ProviderLogoutMiddleware`.
"""
