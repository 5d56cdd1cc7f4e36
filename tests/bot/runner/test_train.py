import shutil
from pathlib import Path

from bot.runner.train import MODEL_INPUTS, model_hash
from lifecycle.settings import PROJECT_ROOT


def copy_project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    for entry in (*MODEL_INPUTS, "data/shop"):
        source = PROJECT_ROOT / entry
        if source.is_dir():
            shutil.copytree(source, root / entry)
        elif source.exists():
            (root / entry).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, root / entry)
    return root


def test_model_hash_follows_training_inputs_only(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    before = model_hash(root)
    (root / "data/shop/shop.yml").write_text("edited by the shop owner")  # answers, not the model
    assert model_hash(root) == before
    with (root / "data/nlu/faq.yml").open("a") as nlu:
        nlu.write("    - a new training example\n")
    assert model_hash(root) != before
