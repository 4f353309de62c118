"""The media stage: images, audio and documents found by the walk, decoded once (a header pass and
a reduced decode), their facts cached per file, grouped into datasets with their labels.

Between ingest and the checks: it reads ingest's MediaFile records and the tables (a labels
file is a table too), and hands checks/media.py one MediaDataset per folder of media. No
value it keeps can identify a person: facts are numbers, hashes and kinds, never text or pixels.
"""
