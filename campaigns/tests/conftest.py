from detentions.tests.conftest import holder_user, mark, officer  # noqa: F401
