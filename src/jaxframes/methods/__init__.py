"""Facade method groups, one module per topic. DataFrame and Series inherit these mixins, so
each topic's pandas methods live beside each other instead of growing frame.py and series.py."""
