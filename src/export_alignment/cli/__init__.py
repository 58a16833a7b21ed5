"""The ``export-alignment`` command: ``app`` (the typer app and the one error boundary),
``params`` (the options and their parsing), ``output`` (consoles, writers, the ``-o`` policy) and
the commands by family: ``check``, ``ask``, ``publish``, ``edit``, ``watch``."""
