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
# The sources mark texts with tr() in QObject classes and QCoreApplication::translate("CTX",
# ...) elsewhere, never through a local tr() wrapper: lupdate cannot see through wrappers.
#
# Environment: LUPDATE (default: lupdate from PATH, else /usr/lib/qt6/bin/lupdate),
#              PYTHON (default: python3).

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

PYTHON=${PYTHON:-python3}
LUPDATE=${LUPDATE:-}
if [[ -z "$LUPDATE" ]]; then
    if command -v lupdate >/dev/null 2>&1 && lupdate -version 2>/dev/null | grep -q 'version 6'; then
        LUPDATE=lupdate
    else
        LUPDATE=/usr/lib/qt6/bin/lupdate
    fi
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 1. Copy the sources and the catalogs (check mode never touches the originals).
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
            echo "error: lupdate could not determine the context of some texts for $name:" >&2
            cat "$work/lupdate.log" >&2
            status=1
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
