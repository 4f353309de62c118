"""The media checks: one dataset of images, recordings or documents (readiness.media.layout), its
files' facts and its labels. Findings name the dataset (column null) and count files (pages for
scanned_pages) over its files; ``details["examples"]`` holds up to five paths, never any content.

- files: corrupt_file (major from 5%), wrong_extension, duplicate_files (pandas' duplicated() on SHA-256).
- images: dark, overexposed, blurry, low-information, odd-size (``images.quality``; major from 10%,
  minor from 1%), mixed_image_modes (info), near_duplicate_images (dHash, exact copies left out),
  pii from EXIF (GPS, serials, owners; values withheld) and from faces found.
- audio: mixed_sample_rates, clips too short or long, silent, clipped, transcript_mismatch (``audio``).
- documents: scanned_pages, text_extraction_failed, near_duplicate_texts (the same text but for digits,
  case and spacing, or SimHash within text_near_distance; no-word documents and exact copies left out),
  language_mix (2+ languages of 5% or more), pdf_javascript, pii in the text.
- labels: unlabeled_files (as label_missing), label_file_missing, class_too_small, class_imbalance,
  label_variants (Cat, cat, cats), conflicting_labels (identical files, or rows of the labels file, with
  different labels), split_overlap (evaluation files identical or near to a training file, or put in
  several splits by the labels file); no labels: no_label (minor). Mixed modes, rates and languages
  count the files not in the commonest value, a tie going to the first name in sorted order (_dominant).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import NamedTuple

from readiness.checks.base import by_fraction, make_finding, pct, variant_groups
from readiness.checks.catalog import blocking_class_count
from readiness.media import audio, hashes, images
from readiness.media.model import Examined, LabelsFile, MediaDataset
from readiness.models import Finding
from readiness.settings import Settings
from readiness.settings.model import MediaSettings

EXAMPLES = 5  # example paths per finding
LANGUAGE_SHARE = 0.05  # language_mix: a language counts when it holds this share of the documents
_CHOICE = re.compile(r"\[([^\[\]|]*)\|([^\[\]|]*)\]")  # "[is|are]" in a message: the form for one, for many


class _Rule(NamedTuple):
    check: str
    what: str  # the files it finds, for the message


IMAGE_RULES = (
    _Rule(check="dark_images", what="[is a very dark image|are very dark images]"),
    _Rule(check="overexposed_images", what="[is an overexposed image|are overexposed images]"),
    _Rule(check="blurry_images", what="[is a blurry image|are blurry images]"),
    _Rule(check="low_information_images", what="[is a near-uniform image|are near-uniform images] (blank, flat)"),
    _Rule(check="odd_size_images", what="[is a tiny or very elongated image|are tiny or very elongated images]"),
)
AUDIO_RULES = (
    _Rule(check="clips_too_short", what="[is a clip|are clips] shorter than {min:g} s"),
    _Rule(check="clips_too_long", what="[is a clip|are clips] longer than {max:g} s"),
    _Rule(check="silent_audio", what="[is a silent clip|are silent clips]"),
    _Rule(check="clipped_audio", what="[is|are] clipped (samples at full scale)"),
)


def _where(name: str) -> str:  # "." (PATH itself) reads as "the dataset folder" in messages
    return "the dataset folder" if name == "." else name

def _files(n: int) -> str:
    return f"{n:,} file{'' if n == 1 else 's'}"


def _pl(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


def _by_count(counts: Counter[str]) -> dict[str, int]:  # most common first, ties by name
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _dominant(counts: Counter[str]) -> str:  # the commonest value; a tie: the first name sorted (rates as text)
    return next(iter(_by_count(counts)))


def _finding(dataset: MediaDataset, hit: Sequence[Examined], *, check: str, severity: str, says: str = "",
             message: str | None = None, count: int | None = None, rows: int | None = None,
             subject: str | None = None, **details: object) -> Finding:
    """A finding on the dataset: by default ``count`` is the files in ``hit`` and the message
    "N files in <dataset> <says>", each "[one|many]" of ``says`` (never a name: names may hold brackets)
    made by the count; up to five of their paths are its examples."""
    count = len(hit) if count is None else count
    says = _CHOICE.sub(lambda match: match.group(1 if count == 1 else 2), says)
    text = message if message is not None else f"{_files(count)} in {_where(dataset.name)} {says}"
    examples = {"examples": [item.file.path for item in hit[:EXAMPLES]]} if hit else {}
    found = make_finding(check, severity, dataset.name, None, count, len(dataset.files) if rows is None else rows,
                         text, **details, **examples)
    return replace(found, subject=subject) if subject else found


def _share(hit: Sequence[Examined], dataset: MediaDataset, major: float, minor: float = 0.0) -> str:
    return by_fraction(len(hit) / len(dataset.files), major, minor)


def _quality(dataset: MediaDataset, items: list[Examined], rules: tuple[_Rule, ...],
             flags: Callable[[Examined], tuple[str, ...]], **limits: float) -> list[Finding]:
    """One finding per rule some files fail (major from 10%, minor from 1%)."""
    failing: dict[str, list[Examined]] = {rule.check: [] for rule in rules}
    for item in items:
        for check in flags(item):
            failing[check].append(item)
    return [_finding(dataset, hit, check=rule.check, severity=_share(hit, dataset, 0.1, 0.01),
                     says=f"{rule.what.format(**limits)}; review [it|them]")
            for rule in rules if (hit := failing[rule.check])]


def _ok(dataset: MediaDataset) -> list[int]:
    return [i for i, item in enumerate(dataset.files) if item.status == "ok"]


def _file_findings(dataset: MediaDataset) -> list[Finding]:
    out = []
    rejected = [item for item in dataset.files if item.status == "rejected"]
    if rejected:
        reasons = Counter(item.reason or "could not be decoded" for item in rejected)
        out.append(_finding(dataset, rejected, check="corrupt_file", severity=_share(rejected, dataset, 0.05),
                            says="cannot be decoded; copy [it|them] again from the source (each file's reason "
                                 "says what is wrong)", reasons=_by_count(reasons)))
    wrong = [item for item in dataset.files if item.file.claimed is not None]
    if wrong:
        pairs = Counter(f"{item.file.claimed} named, {item.file.format} inside" for item in wrong)
        out.append(_finding(dataset, wrong, check="wrong_extension", severity="minor",
                            says="[holds|hold] another format than [its|their] extension says; rename [it|them] "
                                 "to match [its|their] content", formats=_by_count(pairs)))
    copies = [item for item, copy in zip(dataset.files, _exact(dataset.files), strict=True) if copy]
    if copies:
        out.append(_finding(dataset, copies, check="duplicate_files", severity=_share(copies, dataset, 0.05),
                            says="[is an exact copy|are exact copies] of an earlier file; keep one copy of each "
                                 "before splitting"))
    return out


def _exact(items: Sequence[Examined]) -> list[bool]:
    """Per file: an exact copy (same SHA-256) of an earlier one (pandas' duplicated()): left to duplicate_files."""
    first = {item.file.sha256: i for i, item in reversed(list(enumerate(items)))}  # each digest's first file
    return [item.file.sha256 is not None and first[item.file.sha256] != i for i, item in enumerate(items)]


def _image_findings(dataset: MediaDataset, settings: MediaSettings) -> list[Finding]:
    items = [item for item in dataset.files if item.status == "ok" and item.image is not None]
    facts = [item.image for item in items if item.image is not None]
    out = _quality(dataset, items, IMAGE_RULES,
                   lambda item: images.quality(item.image, settings) if item.image is not None else ())
    modes = Counter(image.mode for image in facts)
    if len(modes) > 1:
        main = _dominant(modes)
        other = [item for item, image in zip(items, facts, strict=True) if image.mode != main]
        out.append(_finding(dataset, other, check="mixed_image_modes", severity="info",
                            message=f"{_where(dataset.name)} stores images in {len(modes)} colour modes ({_files(len(other))} "
                                    f"not {main}); convert them to one mode before training", modes=_by_count(modes)))
    near = hashes.near_duplicates([image.dhash for image in facts], settings.near_distance, exclude=_exact(items))
    copies = [items[i] for i, earlier in enumerate(near) if earlier >= 0]
    if copies:
        out.append(_finding(dataset, copies, check="near_duplicate_images", severity=_share(copies, dataset, 0.1),
                            says=f"[is a near copy|are near copies] of an earlier image (dHash within "
                                 f"{settings.near_distance} bits); keep each group on one side of the split",
                            distance=settings.near_distance))
    exif = [item for item, image in zip(items, facts, strict=True) if image.exif]
    if exif:
        kinds = sorted({kind for image in facts for kind in image.exif})
        out.append(_finding(dataset, exif, check="pii", severity="major" if "gps" in kinds else "minor",
                            says=f"[carries|carry] personal data in [its|their] metadata ({', '.join(kinds)}); the "
                                 "packet withholds the values: strip the metadata before sharing",
                            subject="exif", kinds=kinds, source="exif"))
    faces = [item for item, image in zip(items, facts, strict=True) if (image.faces or 0) > 0]
    if faces:
        out.append(_finding(dataset, faces, check="pii", severity="minor",
                            says="[shows|show] faces; blur them or agree how they may be shared",
                            subject="faces", kinds=["face"], source="faces"))
    return out


def _audio_findings(dataset: MediaDataset, settings: MediaSettings) -> list[Finding]:
    positions = [i for i in _ok(dataset) if dataset.files[i].audio is not None]
    items = [dataset.files[i] for i in positions]
    clips = [item.audio for item in items if item.audio is not None]
    out = []
    rates = Counter(str(clip.sample_rate) for clip in clips)
    if len(rates) > 1:
        main = _dominant(rates)
        other = [item for item, clip in zip(items, clips, strict=True) if str(clip.sample_rate) != main]
        out.append(_finding(dataset, other, check="mixed_sample_rates", severity="minor",
                            message=f"{_where(dataset.name)} holds recordings at {len(rates)} sample rates "
                                    f"({_files(len(other))} not at {int(main):,} Hz); resample them to one rate",
                            rates=_by_count(rates)))
    out += _quality(dataset, items, AUDIO_RULES,
                    lambda item: audio.quality(item.audio, settings) if item.audio is not None else (),
                    min=settings.min_clip_seconds, max=settings.max_clip_seconds)
    if dataset.transcripts:
        wrong = []
        for i, clip in zip(positions, clips, strict=True):
            transcript = dataset.transcripts[i]
            silent = clip.rms_dbfs is not None and clip.rms_dbfs < settings.silent_dbfs
            if transcript is not None and not audio.transcript_fits(clip.duration, transcript, silent=silent):
                wrong.append(dataset.files[i])
        if wrong:
            out.append(_finding(dataset, wrong, check="transcript_mismatch", severity=_share(wrong, dataset, 0.05),
                                says="[has|have] a transcript far too long or too short for the clip; check the "
                                     "file-to-transcript mapping"))
    return out


def _document_findings(dataset: MediaDataset, settings: MediaSettings) -> list[Finding]:
    items = [item for item in dataset.files if item.status == "ok" and item.document is not None]
    docs = [item.document for item in items if item.document is not None]
    pairs = list(zip(items, docs, strict=True))
    out = []
    scanned = sum(d.scanned_pages for d in docs)
    if scanned:
        pages = sum(d.pages for d in docs)
        hit = [item for item, d in pairs if d.scanned_pages]
        out.append(_finding(dataset, hit, check="scanned_pages", severity=by_fraction(scanned / pages, 0.2, 0.0),
                            count=scanned, rows=pages, documents=len(hit),
                            message=f"{scanned:,} of {pages:,} pages in {_where(dataset.name)} "
                                    f"{_pl(scanned, 'has', 'have')} no text layer; run OCR on "
                                    f"{_pl(scanned, 'it', 'them')} or send the text with the "
                                    f"{_pl(len(hit), 'document', 'documents')}"))
    failed = [item for item, d in pairs if d.failed_pages]
    if failed:
        out.append(_finding(dataset, failed, check="text_extraction_failed", severity=_share(failed, dataset, 0.05),
                            says="[has|have] pages whose text could not be extracted; export [it|them] again",
                            pages=sum(d.failed_pages for d in docs)))
    texts = [(item, d) for item, d in pairs if d.words > 0]
    exact = _exact([item for item, _ in texts])
    near = hashes.near_duplicates([d.simhash for _, d in texts], settings.text_near_distance, exclude=exact)
    skeletons: set[int] = set()  # never 0: no words, or facts cached before the skeleton was measured
    copies = []  # an earlier text is the same but for digits, case and spacing, or its SimHash is near
    for (item, d), earlier, copy in zip(texts, near, exact, strict=True):
        copies += [item] if not copy and (earlier >= 0 or d.skeleton in skeletons) else []
        skeletons |= {d.skeleton} - {0}
    if copies:
        out.append(_finding(dataset, copies, check="near_duplicate_texts", severity=_share(copies, dataset, 0.1),
                            says="[is a near copy|are near copies] of an earlier document's text; keep each group "
                                 "on one side of the split", distance=settings.text_near_distance))
    languages = Counter(d.language for d in docs if d.language is not None)
    if sum(n >= LANGUAGE_SHARE * sum(languages.values()) for n in languages.values()) > 1:
        main = _dominant(languages)
        other = [item for item, d in pairs if d.language not in (None, main)]
        out.append(_finding(dataset, other, check="language_mix", severity="minor",
                            message=f"{_where(dataset.name)} holds documents in {len(languages)} languages "
                                    f"({_files(len(other))} not in {main}); confirm which languages the model must "
                                    "handle", languages=_by_count(languages)))
    scripted = [item for item, d in pairs if d.javascript]
    if scripted:
        out.append(_finding(dataset, scripted, check="pdf_javascript", severity="major",
                            says="[carries|carry] JavaScript or launch actions (never run); print [it to a plain "
                                 "PDF|them to plain PDFs] before sharing"))
    personal = [(item, d) for item, d in pairs if any(d.pii.values())]
    if personal:
        kinds = sorted({kind for _, d in personal for kind, n in d.pii.items() if n})
        out.append(_finding(dataset, [item for item, _ in personal], check="pii",
                            severity="major" if "secret" in kinds else "minor",
                            says=f"[contains|contain] personal data in [its|their] text ({', '.join(kinds)}); the "
                                 "packet withholds the values: mask them before sharing", subject="text", kinds=kinds,
                            values=sum(sum(d.pii.values()) for _, d in personal), source="text"))
    return out


def _label_findings(dataset: MediaDataset, settings: Settings) -> list[Finding]:
    total = len(dataset.files)
    if dataset.label_source is None:
        return [_finding(dataset, (), check="no_label", severity="minor", count=0,
                         message=f"{_where(dataset.name)} has no labels: put each class's files in a sub-folder named after "
                                 "the class, or add a labels file with a path column and a label column")]
    out = []
    ok = _ok(dataset)
    unlabeled = [dataset.files[i] for i in ok if dataset.labels[i] is None]
    if unlabeled:
        fraction = len(unlabeled) / total
        out.append(_finding(dataset, unlabeled, check="unlabeled_files",
                            severity=by_fraction(fraction, 0.1, 0.0, blocker=0.5),
                            message=f"{pct(fraction)} of the files in {_where(dataset.name)} have no label ("
                                    f"{len(unlabeled):,} of {total:,}); label each or move it out of the folder"))
    table = dataset.labels_file
    if table is not None and table.missing_files:
        out.append(_finding(dataset, (), check="label_file_missing", count=table.missing_files, rows=table.rows,
                            severity=by_fraction(table.missing_files / table.rows if table.rows else 0.0, 0.05, 0.0),
                            message=f"{table.table} has {table.missing_files:,} "
                                    f"{_pl(table.missing_files, 'row', 'rows')} naming a file not in the folder; find "
                                    f"the files or fix the paths in column {table.path_column}",
                            labels_table=table.table))
    counts = Counter(label for i in ok if (label := dataset.labels[i]) is not None)
    classes = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    minimum = settings.label.min_class_count
    small = [(name, n) for name, n in classes if n < minimum]
    if small:
        smallest = min(n for _, n in small)
        blocking = smallest < blocking_class_count(minimum)
        out.append(_finding(dataset, (), check="class_too_small", count=sum(n for _, n in small),
                            severity="blocker" if blocking else "major" if len(small) * 2 >= len(classes) else "minor",
                            message=f"{len(small)} class{'es' if len(small) > 1 else ''} of {_where(dataset.name)} "
                                    f"{'have' if len(small) > 1 else 'has'} fewer than {minimum} files: "
                                    + ", ".join(f"{name} ({n})" for name, n in small)
                                    + (f"; a class of {smallest} cannot be learned or measured" if blocking else ""),
                            classes=dict(small), minimum=minimum, shortfall=sum(minimum - n for _, n in small),
                            smallest=smallest))
    threshold = settings.label.max_imbalance_ratio
    if len(classes) >= 2 and (ratio := classes[0][1] / classes[-1][1]) > threshold:
        out.append(_finding(dataset, (), check="class_imbalance", count=classes[-1][1],
                            severity="major" if ratio > 10 * threshold else "minor",
                            message=f"{_where(dataset.name)} is imbalanced: the largest class has {ratio:.1f} times the files "
                                    f"of the smallest (threshold {threshold:g})",
                            ratio=ratio, majority=classes[0][0], minority=classes[-1][0], threshold=threshold))
    variants = {main: sorted(others) for main, others in variant_groups(dict(counts), plural=True).items()}
    if variants:
        affected = sum(counts[n] for others in variants.values() for n in others)
        shown = "; ".join(f"{', '.join(repr(o) for o in others)} for {main!r}" for main, others in variants.items())
        out.append(_finding(dataset, (), check="label_variants", count=affected,
                            severity="major" if affected / total >= 0.01 else "minor",
                            message=f"{affected:,} {_pl(affected, 'label', 'labels')} of {_where(dataset.name)} "
                                    f"{_pl(affected, 'is another spelling', 'are other spellings')} of a class: "
                                    f"{shown}; map them to one name", variants=variants))
    return out + _conflicts(dataset, ok) + _overlap(dataset, ok, settings.media)


def _conflicts(dataset: MediaDataset, ok: list[int]) -> list[Finding]:
    """Files with two labels: identical files (SHA-256) labeled differently, every labeled file of such a
    group (as for tables), and files the labels file names in rows with different labels."""
    groups: dict[str, list[int]] = {}
    for i in ok:
        if dataset.files[i].file.sha256 is not None and dataset.labels[i] is not None:
            groups.setdefault(dataset.files[i].file.sha256 or "", []).append(i)
    clashing = [members for members in groups.values() if len({dataset.labels[i] for i in members}) > 1]
    identical = {dataset.files[i].file.path for members in clashing for i in members}
    table = dataset.labels_file or LabelsFile("", "", None)
    named = set(table.conflicting_files)
    if not (paths := identical | named):
        return []
    n, hit = len(paths), [item for item in dataset.files if item.file.path in paths]
    parts = [f"{len(identical):,} in {len(clashing):,} {_pl(len(clashing), 'group', 'groups')} of identical files"
             ] * bool(clashing) + [f"{len(named):,} named in rows of {table.table} that disagree"] * bool(named)
    return [_finding(dataset, hit, check="conflicting_labels", count=n,
                     severity=by_fraction(n / len(dataset.files), 0.01, 0.0),
                     message=f"{_files(n)} in {_where(dataset.name)} {_pl(n, 'carries', 'carry')} different labels "
                             f"({'; '.join(parts)}); agree on one label per file", groups=len(clashing),
                     identical=len(identical), named=len(named),
                     by="+".join(["sha256"] * bool(clashing) + ["labels_file"] * bool(named)))]


def _overlap(dataset: MediaDataset, ok: list[int], settings: MediaSettings) -> list[Finding]:
    """Validation and test files identical to a training file, or images within the dHash distance of one,
    and files the labels file puts in several splits (named)."""
    train = [i for i in ok if dataset.splits[i] == "train"]
    others = [i for i in ok if dataset.splits[i] in ("validation", "test")]
    digests = {dataset.files[i].file.sha256 for i in train} - {None}
    exact = {i for i in others if dataset.files[i].file.sha256 in digests}
    # train first: an evaluation image's earliest earlier near hash is a training image when any is near
    order = train + others
    earliest = hashes.near_duplicates(
        [image.dhash if (image := dataset.files[i].image) is not None else None for i in order],
        settings.near_distance, exclude=[i in exact for i in order])
    near = [i for i, match in zip(others, earliest[len(train):], strict=True) if 0 <= match < len(train)]
    table = dataset.labels_file or LabelsFile("", "", None)
    named = set(table.split_conflicts)
    if not (paths := {dataset.files[i].file.path for i in [*exact, *near]} | named):
        return []
    hit = [i for i, item in enumerate(dataset.files) if item.file.path in paths]
    n, share = len(paths), len(paths) / len({dataset.files[i].file.path for i in others} | named)
    parts = [f"{len(exact):,} identical", f"{len(near):,} near copies"] + \
        [f"{len(named):,} in two splits of {table.table}"] * bool(named)
    return [_finding(dataset, [dataset.files[i] for i in hit], check="split_overlap", count=n,
                     severity="blocker" if share >= 0.05 else "major",
                     message=f"{_files(n)} of the validation and test files of {_where(dataset.name)} ({share:.1%}) "
                             f"also {_pl(n, 'sits', 'sit')} in train ({', '.join(parts)}); move "
                             f"{_pl(n, 'it', 'them')} to one side of the split", exact=len(exact), near=len(near),
                     named=len(named), splits=dict(sorted(Counter(str(dataset.splits[i]) for i in hit).items())),
                     by="files")]


def findings(dataset: MediaDataset, settings: Settings) -> list[Finding]:
    """Every media finding of one dataset."""
    if not dataset.files:
        return []
    kinds = {item.file.kind for item in dataset.files}
    out = _file_findings(dataset)
    if "image" in kinds:
        out += _image_findings(dataset, settings.media)
    if "audio" in kinds:
        out += _audio_findings(dataset, settings.media)
    if "document" in kinds:
        out += _document_findings(dataset, settings.media)
    return out + _label_findings(dataset, settings)


def facts(dataset: MediaDataset) -> dict[str, int | None]:
    """For the score: files (rows), files with documents as their pages (checked), labeled ok files, classes."""
    ok = _ok(dataset)
    return {
        "rows": len(dataset.files),
        "checked": sum(item.document.pages if item.document is not None else 1 for item in dataset.files),
        "labeled": sum(dataset.labels[i] is not None for i in ok) if dataset.label_source is not None else None,
        "classes": len({dataset.labels[i] for i in ok} - {None}),
    }


__all__ = ["findings", "facts"]
