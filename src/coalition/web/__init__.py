"""The web pages: server-rendered (Jinja2), htmx for partial updates, assets served locally.

Like the CLI and the API, an interface only: each route parses the request, calls a service
and renders the result. Who may see what is decided below it, by the repository.
"""
