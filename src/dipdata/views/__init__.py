"""What readers see, made from a built package: the explorer (a static site) and its cards.

May import: ``base``, ``model``, ``make`` (its pictures), ``use``.
"""
