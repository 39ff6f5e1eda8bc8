"""herscape: will this tumour resist a HER-family targeted therapy, why, and what to do instead.

Three parts joined into one answer: a cited knowledge base (``herscape.knowledge``), an
executable logical model of ERBB signalling (``herscape.network``), and tumour evolution under
therapy (``herscape.evolve``). See ``DESIGN.md`` in the shared folder for the flow.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
