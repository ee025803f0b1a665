"""Filing one recordal in a browser: the wizard per kind of right (R1), its draft saved
at every step, the review (R4, R5), renewal (R7), changes (R8), cancellation (R9)."""

urlpatterns: list = []
