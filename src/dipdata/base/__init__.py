"""The ground floor: what every wing uses and nothing else needs.

Problems and their report, the repository's paths, the worker pool, and opening release
zips and package folders safely. Imports nothing of dipdata's.
"""
