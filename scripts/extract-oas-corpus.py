#!/usr/bin/env python3
"""Re-extracts tests/fixtures/schema-corpus/openapi/ from an OAI/OpenAPI-Specification git
snapshot: the OpenAPI 3.1 document schema (schema-base, 2020-12, with $dynamicRef to the OAS
dialect and meta-schema it is published with) and the example documents its own tests judge
(tests/schema/pass: valid, tests/schema/fail: invalid), YAML turned into JSON (needs PyYAML).
Usage: python3 scripts/extract-oas-corpus.py <path to OpenAPI-Specification .git> [branch]"""
import json, os, subprocess, sys
import yaml

git_dir = sys.argv[1]
branch = sys.argv[2] if len(sys.argv) > 2 else 'v3.1-dev'
git = lambda *a: subprocess.run(['git', '--git-dir', git_dir, *a], check=True, capture_output=True, text=True).stdout
commit = git('rev-parse', branch).strip()
load = lambda path: yaml.safe_load(git('show', f'{commit}:{path}'))
ls = lambda d: sorted(n for n in git('ls-tree', '--name-only', f'{commit}:{d}').split('\n') if n.endswith('.yaml'))

base = 'src/schemas/validation/'
others = {s['$id']: s for s in (load(f'{base}{n}.yaml') for n in ('schema', 'dialect', 'meta'))}
examples = {kind: {n: load(f'tests/schema/{folder}/{n}') for n in ls(f'tests/schema/{folder}')}
            for kind, folder in (('valid', 'pass'), ('invalid', 'fail'))}
target = os.path.join(os.path.dirname(__file__), '..', 'tests', 'fixtures', 'schema-corpus', 'openapi')
os.makedirs(target, exist_ok=True)
# default=str: YAML dates (a version "2024-01-01") become the strings JSON would hold.
with open(os.path.join(target, 'oas-3.1.json'), 'w') as f:
    json.dump({'draft': '2020-12', 'schema': load(f'{base}schema-base.yaml'), 'schemas': others, **examples},
              f, default=str, separators=(',', ':'))
    f.write('\n')
with open(os.path.join(target, 'LICENSE'), 'w') as f:
    f.write(git('show', f'{commit}:LICENSE'))
with open(os.path.join(target, 'SOURCE.json'), 'w') as f:
    json.dump({'repository': 'https://github.com/OAI/OpenAPI-Specification', 'branch': branch, 'commit': commit,
               'schema': f'{base}schema-base.yaml', 'schemas': [f'{base}{n}.yaml' for n in ('schema', 'dialect', 'meta')],
               'examples': ['tests/schema/pass/*.yaml', 'tests/schema/fail/*.yaml']}, f, indent=2)
    f.write('\n')
print(f'oas-3.1: {len(examples["valid"])} valid, {len(examples["invalid"])} invalid from {commit}')
