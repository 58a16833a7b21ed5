"""The rules: the catalogue of every rule id (``catalogue``), what a cross-file rule sees
(``context``), did-you-mean suggestions (``did_you_mean``), the archive of source documents
(``archive``) and one module per family of cross-file rules; ``checks`` runs them."""

from export_alignment.rules.catalogue import CATALOGUE, EXAMPLE_LIMITS, RuleInfo, register

__all__ = ["CATALOGUE", "EXAMPLE_LIMITS", "RuleInfo", "register"]
