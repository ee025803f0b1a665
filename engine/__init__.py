"""The workflow engine: steps as objects, one executor (engine.workflow), their forms
(engine.forms) and admin pages (engine.admin)."""
