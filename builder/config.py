"""The command line's settings: the ``cunwu`` plugin's block of a ``mkdocs.yml``, read without
MkDocs (which would import the whole site builder), into the model's plain ``Settings``."""

from __future__ import annotations

from pathlib import Path

import yaml

from .model.settings import Settings

PLUGIN = "cunwu"  # the plugin's name in mkdocs.yml (its entry point in pyproject.toml)


class _Lenient(yaml.SafeLoader):
    """mkdocs.yml may hold ``!!python/name:`` and ``!ENV`` tags; they are not ours to run."""


_Lenient.add_multi_constructor("", lambda loader, suffix, node: None)


def load_settings(config: Path | None) -> Settings:
    """Settings from a mkdocs.yml; defaults when there is none."""
    if config is None:
        config = Path("mkdocs.yml")
        if not config.is_file():
            return Settings()
    try:
        data = yaml.load(config.read_text(encoding="utf-8"), Loader=_Lenient) or {}
    except yaml.YAMLError as exc:
        raise ValueError(f"{config} 不是有效的 YAML：{exc}") from exc
    if not isinstance(data, dict):
        raise ValueError(f"{config} 应为 MkDocs 的设置文件（若干“键: 值”）")
    plugins = data.get("plugins") or []
    if isinstance(plugins, dict):  # MkDocs also takes `plugins:` as a mapping of name to options
        plugins = [plugins]
    for entry in plugins:
        if isinstance(entry, dict) and PLUGIN in entry:
            options = entry[PLUGIN] or {}
            if not isinstance(options, dict):
                raise ValueError(f"{config} 中 {PLUGIN} 插件的设置应为若干“键: 值”")
            return Settings.from_mapping(options)
    return Settings()

