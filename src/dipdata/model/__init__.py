"""What a record is: the vocabularies, field types and pydantic models, typed records, the
review's text and its sentences, and record skeletons.

May import: ``base``.
"""
