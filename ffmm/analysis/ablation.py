"""Ablations on one training recipe: each ablation config's change moved
onto the recipe, trained and evaluated alike (tools/analysis/ablate.py).

An ablation config (configs/featherface/ablations/) states its change as
the difference to the config it inherits; :func:`config_delta` reads that
difference and :func:`apply_delta` moves it onto any recipe with the same
model layout (e.g. the WIDER FACE split recipes), so the ablation files
stay one line of intent each.
"""
import ast
import hashlib
import json
import os.path as osp
import statistics

from mmengine.config import Config

SETTINGS = ('easy', 'medium', 'hard')
# keys mmengine adds to every loaded config, not part of what it builds
_META_KEYS = {'filename', 'text', 'pretty_text', 'env_cfg_text'}


def base_of(config_path):
    """The first ``_base_`` file of ``config_path``, resolved."""
    with open(config_path) as f:
        tree = ast.parse(f.read(), filename=config_path)
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
                getattr(t, 'id', None) == '_base_' for t in node.targets):
            base = ast.literal_eval(node.value)
            base = base[0] if isinstance(base, (list, tuple)) else base
            return osp.normpath(osp.join(osp.dirname(config_path), base))
    raise ValueError(f'{config_path}: no `_base_`, so no change to read')


def _diff(new, old, prefix, out):
    removed = [k for k in old if k not in new]
    if removed and prefix:
        # a dict replaced with `_delete_=True`: moved the same way
        out[prefix[:-1]] = dict(new, _delete_=True)
        return
    if removed:
        raise ValueError(f'the ablation deletes the top-level {removed}')
    for key in new:
        path = f'{prefix}{key}'
        if key not in old:
            out[path] = new[key]
        elif isinstance(new[key], dict) and isinstance(old[key], dict):
            _diff(new[key], old[key], f'{path}.', out)
        elif new[key] != old[key]:
            out[path] = new[key]


def config_delta(ablation, reference=None):
    """``{dotted.key: value}``: what ``ablation`` changes with respect to
    ``reference`` (default: the config it inherits)."""
    reference = reference or base_of(ablation)
    new = Config.fromfile(ablation).to_dict()
    old = Config.fromfile(reference).to_dict()
    for key in _META_KEYS:
        new.pop(key, None)
        old.pop(key, None)
    delta = {}
    _diff(new, old, '', delta)
    if not delta:
        raise ValueError(f'{ablation} changes nothing of {reference}')
    return delta


def apply_delta(cfg, delta):
    """A copy of ``cfg`` (Config) with ``delta`` set; every key's parent
    must exist in ``cfg``, so a change cannot silently miss the recipe."""
    tree = cfg.to_dict()
    for key in delta:
        parent, _, _ = key.rpartition('.')
        node = tree
        for part in parent.split('.') if parent else []:
            if not isinstance(node, dict) or part not in node:
                raise KeyError(f'{key}: the recipe has no {parent}')
            node = node[part]
    out = Config(tree)
    out.merge_from_dict(delta)
    return out


def describe_delta(delta, width=48):
    """``a.b=1, c=None`` with the model/distiller prefixes shortened and
    long values (replaced pipelines, hook lists) elided."""
    parts = []
    for key, value in delta.items():
        if isinstance(value, dict):
            value = {k: v for k, v in value.items() if k != '_delete_'}
        key = key.replace('model.student.', '').replace(
            'model.distiller.distill_losses.', '')
        if isinstance(value, list) and all(
                isinstance(v, dict) and 'type' in v for v in value):
            # pipelines and hook lists: the types say what changed
            value = [v['type'] for v in value]
        elif isinstance(value, dict) and 'type' in value:
            value = value['type'] + '(...)'
        text = json.dumps(value, default=str)
        if len(text) > width and not isinstance(value, list):
            text = text[:width - 3] + '...'
        parts.append(f'{key}={text}')
    return ', '.join(parts)


def training_digest(cfg):
    """Short SHA-256 of everything a config trains with: two ablations that
    build the same run (e.g. "no teacher" and the no-teacher recipe) share
    one training."""
    data = {k: v for k, v in cfg.to_dict().items() if k not in _META_KEYS}
    text = json.dumps(data, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def plan_runs(recipe, ablations, seeds, work_dir, reference=None,
              ablation_seeds=None):
    """The runs of a study: the recipe once per seed (the noise), then each
    ablation once per ablation seed (default: the first seed). Returns
    dicts with name, seed, switches (text), cfg and run_dir
    (``work_dir/runs/<training digest>``)."""
    base = Config.fromfile(recipe)
    entries = [(f'full (seed {s})', 'nothing (full model)', {}, s)
               for s in seeds]
    for path in ablations:
        delta = config_delta(path, reference)
        name = osp.splitext(osp.basename(path))[0]
        entries += [(name, describe_delta(delta), delta, s)
                    for s in (ablation_seeds or seeds[:1])]
    runs = []
    for name, switches, delta, seed in entries:
        cfg = apply_delta(base, delta)
        cfg.randomness = dict(cfg.get('randomness', {}), seed=seed)
        run_dir = osp.join(work_dir, 'runs', training_digest(cfg))
        runs.append(dict(name=name, seed=seed, switches=switches, cfg=cfg,
                         run_dir=run_dir, full=not delta, delta=delta))
    return runs


def final_checkpoint(run):
    return osp.join(run['run_dir'],
                    f"iter_{run['cfg'].train_cfg.max_iters}.pth")


def noise_spread(full_rows):
    """Per setting, max - min AP over the runs of one model at several
    seeds (None with fewer than two) and their mean."""
    spread, mean = {}, {}
    for s in SETTINGS:
        values = [r['ap'][s] for r in full_rows]
        mean[s] = statistics.fmean(values) if values else None
        spread[s] = max(values) - min(values) if len(values) > 1 else None
    return spread, mean


def merge_seeds(results):
    """One row per ablation: the AP of an ablation trained at several seeds
    is their mean (``seeds`` lists the finished ones); unfinished seeds
    count only when none has finished. Full-model rows stay one a seed."""
    groups = {}  # in first-seen order; a full row is a group of its own
    for i, r in enumerate(results):
        groups.setdefault(i if r['full'] else r['name'], []).append(r)
    rows = []
    for group in groups.values():
        done = [r for r in group if r.get('ap')]
        row = dict(done[0] if done else group[0])
        if not row['full']:
            if len(done) > 1:
                row['spread'], row['ap'] = noise_spread(done)
            row['seeds'] = [r.get('seed') for r in done]
        rows.append(row)
    return rows


def table_rows(results):
    """Rows with ``delta`` (AP minus the full model's mean) and
    ``beyond_noise`` per setting (|delta| larger than the full model's
    seed spread and than the ablation's own); an ablation trained at
    several seeds is one row with their mean AP."""
    full = [r for r in results if r['full'] and r.get('ap')]
    spread, mean = noise_spread(full)
    rows = []
    for r in merge_seeds(results):
        row = dict(r)
        if r.get('ap') and full:
            row['delta'] = {s: r['ap'][s] - mean[s] for s in SETTINGS}
            own = r.get('spread', {})
            row['beyond_noise'] = {
                s: (spread[s] is not None
                    and abs(row['delta'][s]) > max(spread[s],
                                                   own.get(s, 0)))
                for s in SETTINGS}
        rows.append(row)
    return rows, spread, mean


def markdown_table(results, command=''):
    rows, spread, mean = table_rows(results)
    pct = (lambda v: '-' if v is None else f'{100 * v:.2f}')
    lines = ['| run | switches | params | GFLOPs | Easy | Medium | Hard | '
             'ΔEasy | ΔMedium | ΔHard |', '|' + '---|' * 10]
    for r in rows:
        ap = r.get('ap') or {}
        seeds = r.get('seeds') or []
        name = r['name']
        if len(seeds) > 1:
            name += f' ({len(seeds)} seeds, spread ' + '/'.join(
                pct(r['spread'][s]) for s in SETTINGS) + ')'
        cells = [name, r['switches'],
                 f"{r['params']:,}" if r.get('params') else '-',
                 f"{r['flops'] / 1e9:.3f}" if r.get('flops') else '-']
        cells += [pct(ap.get(s)) for s in SETTINGS]
        for s in SETTINGS:
            if 'beyond_noise' not in r or r['full']:
                cells.append('-')
                continue
            if spread[s] is None:  # one seed: no noise estimate
                mark = ' (?)'
            else:
                mark = '' if r['beyond_noise'][s] else ' (noise)'
            cells.append(f"{100 * r['delta'][s]:+.2f}{mark}")
        lines.append('| ' + ' | '.join(cells) + ' |')
    lines.append('')
    lines.append('Noise: AP spread (max - min) of the full model over its '
                 'seeds: ' + ', '.join(
                     f'{s} {pct(spread.get(s))}' for s in SETTINGS) +
                 '. Δ is AP minus the seeds\' mean (an ablation trained at '
                 'several seeds: its mean); "(noise)" marks a difference '
                 'no larger than that spread (or than the ablation\'s own '
                 'spread over its seeds), "(?)" one that has no spread to '
                 'compare with (a single seed).')
    if command:
        lines.append(f'\nProduced by `{command}`.')
    return '\n'.join(lines) + '\n'
