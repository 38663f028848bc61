#!/usr/bin/env bash
# Checks (or updates) the Qt Linguist catalogs in translations/.
#
#   check-translations.sh [--update] <source-dir>
#
# Check mode (default, used by ctest): every catalog is re-extracted with lupdate into a
# temporary copy (-no-obsolete) and the script fails (exit 1, with a list) when
#   - a message of the sources is missing from the catalog (catalog out of date),
#   - the catalog holds a message the sources no longer have (obsolete/vanished),
#   - a message is type="unfinished" or has an empty translation (or a missing plural form),
#   - a translation does not use exactly the %1..%99 placeholders of its source text.
# The catalogs in <source-dir> are never modified in check mode.
#
# --update: writes the re-extracted catalogs back into <source-dir>/translations (new
# messages appear as type="unfinished"; messages gone from the sources are dropped).
# Use this instead of the CMake update_translations/<target>_lupdate targets, see below.
#
# Why not plain lupdate on the sources: several files mark their texts through a local
# helper  QString tr(const char *text) { return QCoreApplication::translate("CTX", text); }
# which lupdate cannot see through: it files those texts under the enclosing class or
# namespace (SsmtpPrivate, ssmtp::queue, ...) or drops them ("tr() cannot be called
# without context"), while at run time they are looked up in context CTX. The extraction
# therefore runs on a temporary copy of the sources in which, in every file that defines
# such a helper, the unqualified tr( calls are spelled QCoreApplication::translate("CTX", .
# Line numbers are unchanged, so the locations in the catalogs stay right.
#
# Environment: LUPDATE (default: lupdate from PATH, else /usr/lib/qt6/bin/lupdate),
#              PYTHON  (default: python3).
set -euo pipefail

update=0
if [[ "${1:-}" == "--update" ]]; then
    update=1
    shift
fi
if [[ $# -ne 1 || ! -d "$1" ]]; then
    echo "usage: $0 [--update] <source-dir>" >&2
    exit 2
fi
srcdir=$(cd "$1" && pwd)

# catalog prefix -> source directory (relative to <source-dir>)
catalogs=(
    "ssmtp:src/core"
    "ssmtp-send:demo-app/ssmtp-send"
    "ssmtp-inbox:demo-app/ssmtp-inbox"
)

LUPDATE=${LUPDATE:-}
if [[ -z "$LUPDATE" ]]; then
    if command -v lupdate >/dev/null 2>&1 && lupdate -version 2>/dev/null | grep -q 'version 6'; then
        LUPDATE=lupdate
    else
        LUPDATE=/usr/lib/qt6/bin/lupdate
    fi
fi
PYTHON=${PYTHON:-python3}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 1. Copy the sources and the catalogs; resolve the local tr() helpers in the copy.
mkdir -p "$work/translations"
for entry in "${catalogs[@]}"; do
    dir=${entry#*:}
    mkdir -p "$work/$dir"
    cp -R "$srcdir/$dir/." "$work/$dir/"
done
shopt -s nullglob
for ts in "$srcdir"/translations/*.ts; do
    cp "$ts" "$work/translations/"
done

"$PYTHON" - "$work" <<'EOF'
import os, re, sys

root = sys.argv[1]
helper = re.compile(
    r'(?:static\s+)?QString\s+tr\s*\(\s*const\s+char\s*\*\s*\w+[^)]*\)\s*\{\s*'
    r'return\s+QCoreApplication::translate\(\s*"([^"]+)"')
call = re.compile(r'(?<![\w:.>~])tr\s*\(')
for dirpath, _, files in os.walk(root):
    for name in files:
        if not name.endswith(('.cpp', '.h', '.cc', '.cxx', '.hpp')):
            continue
        path = os.path.join(dirpath, name)
        with open(path, encoding='utf-8') as f:
            text = f.read()
        m = helper.search(text)
        if not m:
            continue
        ctx = m.group(1)
        out, pos = [], 0
        for c in call.finditer(text):
            # Keep the helper's own declaration ("QString tr(").
            if re.search(r'QString\s+$', text[max(0, c.start() - 40):c.start()]):
                continue
            out.append(text[pos:c.start()])
            out.append('QCoreApplication::translate("%s", ' % ctx)
            pos = c.end()
        out.append(text[pos:])
        with open(path, 'w', encoding='utf-8') as f:
            f.write(''.join(out))
EOF

# 2. Re-extract every catalog.
status=0
found=0
for entry in "${catalogs[@]}"; do
    prefix=${entry%%:*}
    dir=${entry#*:}
    for ts in "$srcdir"/translations/"${prefix}"_*.ts; do
        found=1
        name=$(basename "$ts")
        cp "$work/translations/$name" "$work/translations/$name.orig"
        if ! (cd "$work/translations" && "$LUPDATE" -silent -no-obsolete -locations relative \
                "../$dir" -ts "$name" > "$work/lupdate.log" 2>&1); then
            cat "$work/lupdate.log" >&2
            echo "error: lupdate failed for $name" >&2
            exit 2
        fi
        if grep -q "cannot be called without context\|lacks Q_OBJECT" "$work/lupdate.log"; then
            echo "warning: lupdate could not determine some contexts for $name:" >&2
            cat "$work/lupdate.log" >&2
        fi
        if [[ $update -eq 1 ]]; then
            cp "$work/translations/$name" "$ts"
            echo "updated $name"
            continue
        fi
        if ! "$PYTHON" - "$work/translations/$name.orig" "$work/translations/$name" "$name" <<'EOF'
import re, sys
import xml.etree.ElementTree as ET

orig_path, new_path, name = sys.argv[1:4]

def messages(path):
    result = {}
    for context in ET.parse(path).getroot().iter('context'):
        ctx = context.findtext('name') or ''
        for msg in context.iter('message'):
            key = (ctx, msg.findtext('source') or '', msg.findtext('comment') or '')
            result[key] = msg
    return result

def placeholders(text):
    return sorted(set(re.findall(r'%(\d{1,2})', text or '')))

orig = messages(orig_path)
new = messages(new_path)
problems = []
for key in sorted(new.keys() - orig.keys()):
    problems.append('missing from the catalog (run check-translations.sh --update): %r / %r'
                    % key[:2])
for key in sorted(orig.keys() - new.keys()):
    problems.append('no longer in the sources (obsolete): %r / %r' % key[:2])
for key, msg in sorted(new.items()):
    if key not in orig:
        continue
    tr = msg.find('translation')
    kind = tr.get('type') if tr is not None else 'missing'
    if tr is None or kind in ('unfinished', 'obsolete', 'vanished'):
        problems.append('%s translation: %r / %r' % (kind or 'missing', key[0], key[1]))
        continue
    if msg.get('numerus') == 'yes':
        forms = [f.text or '' for f in tr.findall('numerusform')]
        if len(forms) < 2 or any(not f.strip() for f in forms):
            problems.append('incomplete plural forms: %r / %r' % key[:2])
            continue
    else:
        forms = [tr.text or '']
        if not forms[0].strip():
            problems.append('empty translation: %r / %r' % key[:2])
            continue
    for form in forms:
        if placeholders(form) != placeholders(key[1]):
            problems.append('placeholders differ (%s vs %s): %r / %r'
                            % (' '.join(placeholders(form)) or '-',
                               ' '.join(placeholders(key[1])) or '-', key[0], key[1]))
            break
if problems:
    print('%s: %d problem(s)' % (name, len(problems)))
    for p in problems:
        print('  ' + p)
    sys.exit(1)
print('%s: %d messages, all translated and up to date' % (name, len(new)))
EOF
        then
            status=1
        fi
    done
done
if [[ $found -eq 0 ]]; then
    echo "error: no catalogs found in $srcdir/translations" >&2
    exit 2
fi
exit $status
