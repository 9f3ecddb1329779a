"""The app server: its routes, the auth strategies (session, JWT, hybrid), keys, store, users."""
