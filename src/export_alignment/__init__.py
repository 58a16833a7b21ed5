"""export-alignment: has ally X aligned with the US chip export controls yet, since when, and how
do we know?"""

__version__ = "0.1.0"
