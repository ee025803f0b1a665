"""The agent's portfolio across clients: the list, its exports and printable view, and the
bulk import of recordal drafts from a template."""

urlpatterns: list = []
