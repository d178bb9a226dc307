"""Models of this app arrive with its feature; the app is registered from the start."""
