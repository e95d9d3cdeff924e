# -*- coding: utf-8 -*-
# What the trustc.trust modules share: finding and running trust-apply, reading its JSON plan
# (`plan --format json` / `verify --format json`), and turning it into results and diffs.
# trust-apply never prints a password and these helpers never see one: passwords reach it
# only through the environment (or a password file) named by the manifests.

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

# Exit codes of trust-apply plan / verify (docs/runtime.md).
EXIT_OK = 0
EXIT_PENDING = 2  # plan: changes pending; verify: drift

# The options every command takes; the module's argument_spec includes them.
COMMON_ARGUMENT_SPEC = dict(
    manifests=dict(type='list', elements='path', required=True),
    sums=dict(type='path'),
    verify_key=dict(type='path'),
    require_signature=dict(type='bool', default=False),
    executable=dict(type='str', default='trust-apply'),
)

CHANGING_ACTIONS = ('add', 'replace', 'remove')


def find_executable(module):
    """The trust-apply to run: a path as given, or a bare name looked up on PATH."""
    executable = module.params['executable']
    if os.sep in executable:
        if not os.access(executable, os.X_OK):
            module.fail_json(msg='trust-apply executable %s does not exist or is not executable'
                             % executable)
        return executable
    return module.get_bin_path(executable, required=True)


def command(module, subcommand, extra=()):
    """argv for `trust-apply SUBCOMMAND`: artifact checks first, then the manifests after `--`
    (so a manifest path can never be read as an option)."""
    params = module.params
    argv = [find_executable(module), subcommand]
    argv.extend(extra)
    if params['sums']:
        argv.extend(['--sums', params['sums']])
    if params['verify_key']:
        argv.extend(['--verify-key', params['verify_key']])
    if params['require_signature']:
        argv.append('--require-signature')
    argv.append('--')
    argv.extend(params['manifests'])
    return argv


def run(module, argv):
    """Runs trust-apply without a shell (argv as a list: no quoting, no expansion)."""
    return module.run_command(argv)


def fail(module, argv, rc, stdout, stderr):
    """Fails the task with trust-apply's own message."""
    message = stderr.strip() or stdout.strip() or 'exit status %d' % rc
    module.fail_json(msg=message, rc=rc, cmd=argv, stdout=stdout, stderr=stderr)


def parse_plan(module, argv, stdout, stderr, rc):
    """The `keystores` list of a JSON plan; a task failure when it is not one."""
    try:
        return json.loads(stdout)['keystores']
    except (ValueError, KeyError, TypeError):
        module.fail_json(msg='trust-apply printed no JSON plan', rc=rc, cmd=argv, stdout=stdout,
                         stderr=stderr)


def aliases(keystore, action):
    return [entry['alias'] for entry in keystore['entries'] if entry['action'] == action]


def has_changes(keystore):
    """As trust-apply decides: something to add, replace or remove, or a file to create."""
    return keystore['create'] or any(aliases(keystore, action) for action in CHANGING_ACTIONS)


def keystore_result(keystore, backup=None):
    """One keystore's part of a module result: aliases by what happens (or happened) to them."""
    return dict(
        keystore=keystore['keystore'],
        path=keystore['path'],
        format=keystore['format'],
        create=keystore['create'],
        changed=has_changes(keystore),
        added=aliases(keystore, 'add'),
        replaced=aliases(keystore, 'replace'),
        removed=aliases(keystore, 'remove'),
        unchanged=aliases(keystore, 'unchanged'),
        skipped=aliases(keystore, 'skip'),
        backup=backup,
    )


def _entry_line(alias, sha256, subject):
    return '%s  sha256 %s  %s\n' % (alias, sha256, subject)


def keystore_diff(keystore):
    """Ansible's before/after for one keystore: a line per managed alias (skips left out,
    since the manifest does not place them)."""
    before = []
    after = []
    for entry in keystore['entries']:
        action = entry['action']
        alias = entry['alias']
        current = _entry_line(alias, entry['sha256'], entry['subject'])
        if action == 'add':
            after.append(current)
        elif action == 'unchanged':
            before.append(current)
            after.append(current)
        elif action == 'replace':
            before.append(_entry_line(alias, entry.get('previousSha256', '?'), '(previous certificate)'))
            after.append(current)
        elif action == 'remove':
            before.append(current)
    header = '%s (%s, keystore %s)' % (keystore['path'], keystore['format'], keystore['keystore'])
    return dict(
        before_header=header + (' absent' if keystore['create'] else ''),
        after_header=header,
        before=''.join(before),
        after=''.join(after),
    )


def diffs(keystores):
    """Diffs of the keystores that change; empty when none does."""
    return [keystore_diff(keystore) for keystore in keystores if has_changes(keystore)]
