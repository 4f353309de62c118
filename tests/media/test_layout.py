"""How media files form datasets (readiness/media/layout.py): class folders, split folders, labels
files matched by path or file name, several kinds in one folder. Records are built by hand."""

from __future__ import annotations

import pandas as pd

from readiness.ingest.model import MediaFile, Table
from readiness.media.layout import dataset_folder, datasets
from readiness.media.model import Examined, ImageFacts

KIND = {"jpg": ("image", "jpeg"), "png": ("image", "png"), "wav": ("audio", "wav"), "pdf": ("document", "pdf")}


def examined(path: str, status: str = "ok") -> Examined:
    kind, fmt = KIND[path.rsplit(".", 1)[1]]
    image = ImageFacts(10, 10, "RGB", 1, 100.0, 0.0, 0.0, 500.0, 6.0, 0) if kind == "image" else None
    return Examined(MediaFile(path, kind, fmt, 10, 0, path), status, None, image=image)


def table(name: str, frame: pd.DataFrame, split: str | None = None) -> Table:
    return Table(name=name, source=name, format=name.rsplit(".", 1)[1], frame=frame, split=split)


def by_path(dataset):
    return {e.file.path: (label, split) for e, label, split in zip(dataset.files, dataset.labels, dataset.splits,
                                                                     strict=True)}


def test_dataset_folder_goes_above_a_split_folder():
    assert dataset_folder(["data/train/cat/1.jpg", "data/train/dog/2.jpg"]) == "data"
    assert dataset_folder(["data/train/1.jpg", "data/test/2.jpg"]) == "data"
    assert dataset_folder(["a.jpg", "b/c.jpg"]) == "."
    assert dataset_folder(["photos/x/a.jpg", "photos/y/b.jpg"]) == "photos"


def test_class_folders():
    files = [examined(p) for p in ["pets/dog/2.jpg", "pets/cat/1.jpg", "pets/cat/3.jpg", "pets/loose.jpg"]]
    (found,) = datasets(files, [])
    assert found.name == "pets" and found.kind == "image" and found.label_source == "folders"
    assert [e.file.path for e in found.files] == \
        ["pets/cat/1.jpg", "pets/cat/3.jpg", "pets/dog/2.jpg", "pets/loose.jpg"]
    assert found.labels == ("cat", "cat", "dog", None)
    assert found.splits == (None, None, None, None)
    assert found.labels_file is None


def test_split_folders_with_classes_under_them():
    paths = ["d/train/cat/1.jpg", "d/train/dog/2.jpg", "d/test/cat/3.jpg", "d/valid/dog/4.jpg", "d/test/5.jpg"]
    (found,) = datasets([examined(p) for p in paths], [])
    assert found.name == "d"
    assert by_path(found) == {"d/train/cat/1.jpg": ("cat", "train"), "d/train/dog/2.jpg": ("dog", "train"),
                              "d/test/cat/3.jpg": ("cat", "test"), "d/valid/dog/4.jpg": ("dog", "validation"),
                              "d/test/5.jpg": (None, "test")}


def test_one_folder_is_no_class_folder():
    (found,) = datasets([examined("set/images/1.jpg"), examined("set/images/2.jpg")], [])
    assert found.name == "set/images" and found.label_source is None and found.labels == (None, None)


def test_labels_csv_with_path_label_and_split():
    paths = ["shots/img/a.jpg", "shots/img/b.jpg", "shots/img/c.jpg"]
    frame = pd.DataFrame({"Filepath": ["img/a.jpg", "img/b.jpg", "img/c.jpg"], "Class": ["x", "y", None],
                          "split": ["train", "test", "val"]})
    (found,) = datasets([examined(p) for p in paths], [table("shots/labels.csv", frame)])
    assert found.label_source == "shots/labels.csv"
    assert by_path(found) == {"shots/img/a.jpg": ("x", "train"), "shots/img/b.jpg": ("y", "test"),
                              "shots/img/c.jpg": (None, "validation")}
    assert found.labels_file is not None
    assert (found.labels_file.path_column, found.labels_file.label_column, found.labels_file.split_column) == \
        ("Filepath", "Class", "split")
    assert (found.labels_file.rows, found.labels_file.missing_files) == (3, 0)


def test_labels_file_overrides_class_folders_and_counts_missing_rows():
    paths = ["p/cat/1.jpg", "p/dog/2.jpg", "p/dog/3.jpg"]
    frame = pd.DataFrame({"image": ["cat/1.jpg", "dog/2.jpg", "dog/9.jpg", "gone.jpg", None],
                          "label": ["feline", "canine", "canine", "feline", "canine"]})
    (found,) = datasets([examined(p) for p in paths], [table("p/meta.csv", frame)])
    assert found.label_source == "p/meta.csv"
    assert found.labels == ("feline", "canine", None)  # 3.jpg named by no row: unlabeled, not "dog"
    assert found.labels_file is not None and found.labels_file.missing_files == 2  # the missing path is no file
    assert found.labels_file.rows == 5


def test_given_label_column_and_basename_match():
    paths = ["deep/a/one.jpg", "deep/b/two.jpg"]
    frame = pd.DataFrame({"file": ["/home/x/one.jpg", "C:\\data\\two.jpg"], "label": ["l1", "l2"],
                          "grade": ["g1", "g2"]})
    (found,) = datasets([examined(p) for p in paths], [table("labels.csv", frame)], label="grade")
    assert found.labels == ("g1", "g2")
    assert found.labels_file is not None and found.labels_file.label_column == "grade"


def test_a_path_column_found_by_its_values():
    paths = ["ds/images/1.png", "ds/images/2.png"]
    frame = pd.DataFrame({"whatever": ["1.png", "2.png"], "category": ["a", "b"]})
    (found,) = datasets([examined(p) for p in paths], [table("ds/images/labels.json", frame)])
    assert found.name == "ds/images"
    assert found.labels == ("a", "b") and found.label_source == "ds/images/labels.json"
    assert found.labels_file is not None and found.labels_file.path_column == "whatever"


def test_two_kinds_in_one_folder_are_two_datasets():
    paths = ["mix/a.jpg", "mix/b.jpg", "mix/c.wav", "mix/d.wav"]
    frame = pd.DataFrame({"path": ["c.wav", "d.wav"], "sentence": ["hello there", "good bye"],
                          "speaker": ["ann", "bob"], "intent": ["greet", "leave"]})
    found = datasets([examined(p) for p in paths], [table("mix/speech.csv", frame)])
    assert [(d.name, d.kind, len(d.files)) for d in found] == [("mix:image", "image", 2), ("mix:audio", "audio", 2)]
    images, audio = found
    assert images.label_source is None and images.labels_file is None
    assert audio.label_source == "mix/speech.csv" and audio.labels == ("greet", "leave")
    assert audio.transcripts == ("hello there", "good bye")


def test_a_table_naming_two_datasets_labels_the_one_most_rows_name():
    paths = ["pics/1.jpg", "pics/2.jpg", "sounds/3.wav"]
    frame = pd.DataFrame({"path": ["pics/1.jpg", "pics/2.jpg", "sounds/3.wav"], "label": ["a", "b", "c"]})
    images, audio = datasets([examined(p) for p in paths], [table("all.csv", frame)])
    assert images.label_source == "all.csv" and images.labels == ("a", "b")
    assert audio.label_source is None


def test_the_table_split_applies_to_the_files_it_names():
    paths = ["k/1.jpg", "k/2.jpg", "k/3.jpg"]
    train = pd.DataFrame({"filename": ["1.jpg", "2.jpg"], "label": ["a", "b"]})
    (found,) = datasets([examined(p) for p in paths], [table("k/train.csv", train, split="train")])
    assert found.splits == ("train", "train", None)
    assert found.labels == ("a", "b", None)


def test_a_file_named_twice_with_other_labels_or_splits_is_reported():
    import pandas as pd

    from readiness.ingest.model import MediaFile, Table
    from readiness.media.layout import datasets
    from readiness.media.model import Examined

    files = [Examined(MediaFile(f"imgs/i{n}.png", "image", "png", 10, 0, f"h{n}"), "ok", None) for n in range(3)]
    frame = pd.DataFrame({"path": ["imgs/i0.png", "imgs/i1.png", "imgs/i0.png", "imgs/i2.png", "imgs/i2.png"],
                          "label": ["common", "rare", "rare", "rare", "rare"],
                          "split": ["train", "train", "test", "test", "test"]})
    [dataset] = datasets(files, [Table("labels.csv", "labels.csv", "csv", frame)])
    assert dataset.labels == ("common", "rare", "rare")  # the first row naming each file
    assert dataset.labels_file is not None
    assert dataset.labels_file.conflicting_files == ("imgs/i0.png",)
    assert dataset.labels_file.split_conflicts == ("imgs/i0.png",)  # i2 is named twice, the same way
