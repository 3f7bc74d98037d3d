"""The data model as text: MyST pages, citation exports, lean page copies. No Sphinx here."""
