# bedrock-profile shell hook for fish (3.4 or newer).
#
#   bedrock-profile hook fish | source            # or, without Node at start-up:
#   set -g BEDROCK_PROFILE_BIN /path/to/bedrock-profile; source /path/to/shell/hook.fish
#
# Per prompt with nothing changed it runs three builtins, no fork: one `test` (the same $PWD, no record
# rewritten since this shell's stamp, every source file as the record saw it, the watched values as
# judged) and two `set -qx` (which watched variables are exported). See _bp_fastlist. On a directory change
# (--on-variable PWD) it finds the launch context with builtins and reads the record that
# `bedrock-profile resolve` wrote (key=value lines, read with `read`, never evaluated). It runs
# `bedrock-profile resolve` only when the record is missing or stale, or when there is something new to
# say. The protocol: docs/ARCHITECTURE.md.

# Interactive shells only.
status is-interactive; or return 0

# Sourcing twice keeps the state (what was said, what to restore); functions are simply redefined.
set -q _bp_active; or set -g _bp_active 0
set -q _bp_handsoff; or set -g _bp_handsoff 0
set -q _bp_disabled; or set -g _bp_disabled 0
set -q _bp_warned; or set -g _bp_warned
set -q _bp_pwd; or set -g _bp_pwd
set -q _bp_dir; or set -g _bp_dir
for _bp_v in _bp_root _bp_rec _bp_head _bp_failed _bp_applied _bp_profile _bp_expect _bp_expires _bp_set _bp_saved _bp_srcs _bp_abs _bp_check _bp_agree _bp_recdir _bp_stamp _bp_stampdir _bp_keyval _bp_fastargs _bp_fpv _bp_fpe _bp_fpu
    set -q $_bp_v; or set -g $_bp_v
end
set -e _bp_v
set -q _bp_switch; or set -g _bp_switch 0
set -q _bp_hint; or set -g _bp_hint 0
set -q _bp_notice; or set -g _bp_notice 0
set -q _bp_unsetok; or set -g _bp_unsetok 1
set -q _bp_project; or set -g _bp_project 0
set -q _bp_local; or set -g _bp_local 0
set -q _bp_saved_set; or set -g _bp_saved_set 0
# The repo's profile changed in this context (say what the hook did); what was said here.
set -q _bp_changed; or set -g _bp_changed 0
set -q _bp_said; or set -g _bp_said
set -q _bp_present; or set -g _bp_present
# The fast path is rebuilt after the next full look.
set -g _bp_fpok 0
set -g _bp_fpun 0

# A profile name we are willing to export: letters, digits and _.+=,@-, 1 to 128 characters.
function _bp_valid_profile
    string match -qr '^[A-Za-z0-9_.+=,@-]{1,128}$' -- "$argv[1]"
end

function _bp_records_dir
    if string match -q '/*' -- "$XDG_CACHE_HOME"
        echo -- $XDG_CACHE_HOME/bedrock-profile/records
        return
    end
    # One uname per shell, at the first repo visited, not at start-up (fish has no $OSTYPE).
    if not set -q _bp_darwin
        if test (uname 2>/dev/null) = Darwin
            set -g _bp_darwin 1
        else
            set -g _bp_darwin 0
        end
    end
    if test $_bp_darwin = 1
        echo -- $HOME/Library/Caches/bedrock-profile/records
    else
        echo -- $HOME/.cache/bedrock-profile/records
    end
end

# `%` → `%25`, newline → `%0A` (src/hook/record-name.ts): one line, whatever the path holds.
function _bp_encode
    set -l e (string replace -a '%' '%25' -- "$argv[1]" | string collect)
    string replace -a \n '%0A' -- "$e"
end

# The launch context of $PWD (mirrors src/hook/launch-context.ts): sets _bp_dir and _bp_root.
function _bp_find
    set -l d $PWD
    set -l g
    set -l l
    set -l home "$HOME"
    while true
        if test -z "$l"; and test "$d" != "$home"
            if test -e "$d/.claude/settings.json"; or test -L "$d/.claude/settings.json"
                set l $d
            end
        end
        if test -e "$d/.git"
            set g $d
            break
        end
        if test "$d" = /; or test -z "$d"
            break
        end
        # One element whatever the path holds: a newline in a directory name must not split it.
        set d (string replace -r '/[^/]*$' '' -- "$d" | string collect)
        test -n "$d"; or set d /
    end
    if test -z "$g"; and test -n "$l"
        if test -n "$home"; and string match -q -- "$home/*" "$PWD"
            string match -q -- "$home/*" "$l"; or set l
        else
            test "$l" = "$PWD"; or set l
        end
    end
    set -g _bp_root $g
    if test -n "$l"
        set -g _bp_dir $l
    else
        set -g _bp_dir $g
    end
end

# Parse record lines (given as arguments) into the _bp_* variables. Returns 1 if it is not a record.
function _bp_parse
    string match -q 'bedrock-profile-record 1 *' -- "$argv[1]"; or return 1
    set -g _bp_head $argv[1]
    set -g _bp_srcs
    set -g _bp_abs
    set -g _bp_check
    set -g _bp_agree
    set -g _bp_profile
    set -g _bp_expect
    set -g _bp_switch 0
    set -g _bp_hint 0
    set -g _bp_notice 0
    set -g _bp_unsetok 1
    set -g _bp_expires
    set -g _bp_project 0
    set -g _bp_local 0
    for line in $argv[2..-1]
        # Named groups set $key and $val in place (fish 3.4+): no command substitution per line.
        string match -rq '^(?<key>[a-z]+)=(?<val>.*)$' -- "$line"; or continue
        switch "$key"
            case dir
                # Percent-encoded (% and control characters, src/hook/record-name.ts): decode, then
                # compare. The X keeps a trailing newline of the name through the command substitution.
                if string match -q -- '*%*' "$val"
                    set val (string unescape --style=url -- "$val"X | string collect)
                    test "$val" = "$_bp_dir"X; or return 1
                else
                    test "$val" = "$_bp_dir"; or return 1
                end
            case src
                set -ga _bp_srcs $val
            case absent
                set -ga _bp_abs $val
            case project
                set -g _bp_project $val
            case local
                set -g _bp_local $val
            case profile
                set -g _bp_profile $val
            case expect
                set -g _bp_expect $val
            case switch
                set -g _bp_switch $val
            case hint
                set -g _bp_hint $val
            case notice
                set -g _bp_notice $val
            case unsetok
                set -g _bp_unsetok $val
            case check
                # Variable names only (defence in depth).
                set -g _bp_check (string split -n ' ' -- $val | string match -r '^[A-Z_][A-Z0-9_]*$')
            case agree
                # name=value pairs, kept as one list item each.
                string match -qr '^[A-Z_][A-Z0-9_]*=' -- $val; and set -ga _bp_agree $val
            case expires
                string match -qr '^[0-9]+$' -- "$val"; and set -g _bp_expires $val
        end
    end
    # Defence in depth: never act on a name TypeScript should already have refused.
    if not _bp_valid_profile "$_bp_profile"
        set -g _bp_profile
        set -g _bp_switch 0
    end
    _bp_valid_profile "$_bp_expect"; or set -g _bp_expect
    return 0
end

function _bp_read_record
    # Only a record of ours in our own records directory, never through a link: another user who made
    # the directory first must not plant one (docs/security.md). resolve then refuses in one line.
    test -n "$_bp_rec" -a -f "$_bp_rec" -a -O "$_bp_rec" -a ! -L "$_bp_rec" -a -O "$_bp_recdir" -a ! -L "$_bp_recdir"; or return 1
    set -l lines
    while read -l line
        set -a lines $line
    end <$_bp_rec
    _bp_parse $lines
end

# Is the current record older than a file it was made from (or did one appear or vanish)?
function _bp_stale
    set -l p "$_bp_dir/.claude/settings.json"
    set -l root $_bp_root
    test -n "$root"; or set root $_bp_dir
    set -l l "$root/.claude/settings.local.json"
    if test -e "$p"; or test -L "$p"
        test $_bp_project = 1; and not test "$p" -nt "$_bp_rec"; or return 0
    else
        test $_bp_project = 0; or return 0
    end
    if test -e "$l"; or test -L "$l"
        test $_bp_local = 1; and not test "$l" -nt "$_bp_rec"; or return 0
    else
        test $_bp_local = 0; or return 0
    end
    for f in $_bp_srcs
        test -e "$f"; and not test "$f" -nt "$_bp_rec"; or return 0
    end
    for f in $_bp_abs
        test -e "$f"; and return 0
    end
    return 1
end

# Run `bedrock-profile resolve` for the current context: it writes the record, prints it (parsed here)
# and, unless $argv[1] is --quiet, what the user should know on stderr. Returns 1 when it failed.
function _bp_resolve
    set -l bin bedrock-profile
    set -q BEDROCK_PROFILE_BIN; and test -n "$BEDROCK_PROFILE_BIN"; and set bin $BEDROCK_PROFILE_BIN
    if not command -q -- $bin
        if test $_bp_disabled != 1
            printf 'bedrock-profile: the hook cannot find %s; reinstall, or set BEDROCK_PROFILE_BIN to the bedrock-profile binary\n' (string escape -- $bin) >&2
        end
        set -g _bp_disabled 1
        return 1
    end
    set -l opts $argv
    test $_bp_changed = 1; and set -a opts --changed
    test -n "$_bp_said"; and test -z "$argv"; and set -a opts "--said=$_bp_said"
    # Owned: resolve judges the shell as the hook leaves it, i.e. with what the hook would give back.
    set -l give 0
    if test $_bp_handsoff != 1
        if test $_bp_active != 1; or test "$AWS_PROFILE" = "$_bp_set"
            set -a opts --owned
            set give $_bp_active
        end
    end
    set -l out
    if test $give = 1; and test $_bp_saved_set = 1
        set out (AWS_PROFILE=$_bp_saved command $bin resolve $opts -- $_bp_dir </dev/null)
    else if test $give = 1
        set out (env -u AWS_PROFILE $bin resolve $opts -- $_bp_dir </dev/null)
    else
        set out (command $bin resolve $opts -- $_bp_dir </dev/null)
    end
    or begin
        set -g _bp_failed $_bp_dir
        return 1
    end
    if not _bp_parse $out
        set -g _bp_failed $_bp_dir
        return 1
    end
    set -g _bp_failed
    return 0
end

# Export the repo's profile, or give back what was there, following the ownership rules.
function _bp_apply
    set -l want
    test "$_bp_switch" = 1; and set want $_bp_profile
    if test $_bp_active = 1; and test "$AWS_PROFILE" != "$_bp_set"
        # Changed by hand since we set it: it is the user's now.
        set -g _bp_active 0
        set -g _bp_handsoff 1
    end
    if test -n "$want"
        test $_bp_handsoff = 1; and return 0
        if test $_bp_active != 1
            if set -q AWS_PROFILE
                set -g _bp_saved_set 1
                set -g _bp_saved $AWS_PROFILE
            else
                set -g _bp_saved_set 0
                set -g _bp_saved
            end
            set -g _bp_active 1
        end
        set -gx AWS_PROFILE $want
        set -g _bp_set $want
    else if test $_bp_active = 1
        if test $_bp_saved_set = 1
            set -gx AWS_PROFILE $_bp_saved
        else
            set -e AWS_PROFILE
        end
        set -g _bp_active 0
    end
end

function _bp_apply_if_changed
    if test "$_bp_applied" != "$_bp_switch:$_bp_profile"
        # The repo's profile changed under the shell (an edit, a checkout, `use`): it gets its line, every time.
        if test -n "$_bp_applied"; and test (string split -m1 : -- $_bp_applied)[2] != "$_bp_profile"
            set -g _bp_changed 1
            set -g _bp_said
            _bp_forget
        end
        set -g _bp_applied "$_bp_switch:$_bp_profile"
        _bp_apply
    end
end

# Forget what was said in this context (its profile changed: everything is new again).
function _bp_forget
    set -l keep
    for k in $_bp_warned
        test (string split -m1 \x1f -- $k)[1] = "$_bp_dir"; or set -a keep $k
    end
    set -g _bp_warned $keep
end

# The state that decides whether there is something to say, into _bp_keyval; empty when all is
# consistent. (A variable, not output: a command substitution here would cost milliseconds per prompt.)
function _bp_key
    set -l present
    for n in $_bp_check
        set -qx $n; or continue
        test -n "$$n"; or continue
        contains -- "$n=$$n" $_bp_agree; and continue
        set -a present $n
    end
    set -g _bp_present $present
    set -l p
    if test -n "$_bp_expect"
        if set -qx AWS_PROFILE; and test -n "$AWS_PROFILE"
            test "$AWS_PROFILE" = "$_bp_expect"; or set p other
        else
            test "$_bp_unsetok" = 1; or set p unset
        end
    end
    set -l h 0
    test "$_bp_hint" = 1; and test "$AWS_PROFILE" != "$_bp_profile"; and set h 1
    test -n "$p"; and set -ga _bp_present AWS_PROFILE
    set -g _bp_keyval
    if test -n "$present"; or test -n "$p"; or test "$_bp_notice" = 1; or test $h = 1; or test $_bp_changed = 1
        set -g _bp_keyval "$_bp_dir"\x1f"$present"\x1f"$p"\x1f"$_bp_notice$h$_bp_changed"
        # A state said before (back in the context): what is set now was said.
        contains -- "$_bp_keyval" $_bp_warned; and set -g _bp_said "$_bp_present"
    end
end

# Say it once per (context, state): run resolve (which prints) unless it just spoke for this state.
function _bp_speak
    _bp_key
    test -z "$_bp_keyval"; and return 0
    contains -- "$_bp_keyval" $_bp_warned; and return 0
    if test "$argv[1]" != 1
        _bp_resolve; or return 0
        _bp_apply_if_changed
        _bp_key
    end
    test -n "$_bp_keyval"; and set -ga _bp_warned "$_bp_keyval"
    set -g _bp_said "$_bp_present"
    # Said: the state after the change is the one to remember.
    if test $_bp_changed = 1
        set -g _bp_changed 0
        _bp_key
        test -n "$_bp_keyval"; and set -ga _bp_warned "$_bp_keyval"
    end
    return 0
end

# A directory change: find the context, load or make its record, switch, speak.
function _bp_chdir
    set -l spoke 0
    set -l prev $_bp_dir
    set -g _bp_pwd $PWD
    set -g _bp_restale 0
    _bp_find
    # A new context: the user's hands-off choice was for the one we left.
    if test "$_bp_dir" != "$prev"
        set -g _bp_handsoff 0
        set -g _bp_applied
        set -g _bp_said
        set -g _bp_changed 0
    end
    if test -z "$_bp_dir"
        set -g _bp_rec
        set -g _bp_head
        set -g _bp_profile
        set -g _bp_expect
        set -g _bp_switch 0
        set -g _bp_expires
        _bp_apply_if_changed
        return 0
    end
    set -l name (string replace -a / '%2F' -- (_bp_encode "$_bp_dir"))
    set -l records (_bp_records_dir)
    set -g _bp_rec $records/$name
    set -g _bp_recdir $records
    # `records/..`: no command substitution (each costs about as much as a stat-heavy test here).
    set -g _bp_stampdir $records/../stamps
    set -g _bp_stamp $_bp_stampdir/$hostname.$fish_pid
    _bp_touch
    if not _bp_read_record
        # First visit: one run writes the record and says what there is to say.
        if not _bp_resolve
            set -g _bp_switch 0
            set -g _bp_profile
            set -g _bp_expect
            _bp_apply_if_changed
            return 0
        end
        set spoke 1
        # No file (a name too long for the file system): no freshness checks until the next cd.
        test -f "$_bp_rec"; or set -g _bp_rec
    else if _bp_stale
        # Refresh quietly; _bp_speak says something only if the new state was not said yet.
        if not _bp_resolve --quiet
            set -g _bp_switch 0
            set -g _bp_profile
            set -g _bp_expect
            _bp_apply_if_changed
            return 0
        end
    end
    _bp_apply_if_changed
    _bp_speak $spoke
end

# A source dated in the future stays newer than every record: after two refreshes in a row whose record is
# stale at once, no more until the next cd (resolve says why, and the fix).
function _bp_settle
    if _bp_stale
        set -g _bp_restale (math $_bp_restale + 1)
        test $_bp_restale -ge 2; and set -g _bp_failed $_bp_dir
    else
        set -g _bp_restale 0
    end
end

# The same directory: pick up a rewritten or stale record, notice new variables.
function _bp_warm
    test -n "$_bp_dir"; and test "$_bp_failed" != "$_bp_dir"; or return 0
    if test -n "$_bp_rec"
        set -l head
        _bp_touch
        test -f "$_bp_rec" -a -O "$_bp_rec" -a ! -L "$_bp_rec"; and read -l head <$_bp_rec
        if test "$head" != "$_bp_head"
            if not _bp_read_record; or _bp_stale
                _bp_resolve --quiet; or return 0
                _bp_settle
            end
            _bp_apply_if_changed
        else if _bp_stale
            _bp_resolve --quiet; or return 0
            _bp_settle
            _bp_apply_if_changed
        end
    end
    _bp_speak 0
end

# The prompt's fast path, as data: the arguments of ONE `test` and the two lists for `set -qx`, built after
# every full look. They hold paths as list items, each passed to `test` as one argument and never
# evaluated (fish expands a list item to exactly one argument); every path is absolute, so none can be
# taken for an operator. The test holds when:
#   - no record was rewritten since this shell's stamp (the records directory is older than the stamp:
#     before reading a record, _bp_touch makes it so, so a rename after the read makes it newer);
#   - every source file is as the record saw it (present and not newer, absent still absent);
#   - the watched variables are as judged: their values (none of the secrets, which must have been and
#     stay empty), and which of them are exported (`set -qx`).
# The watched variables are AWS_PROFILE and STRAY_INPUTS (src/hook/check-vars.ts); the values string
# below lists the ones that are not secrets (test/shell/hook-freshness.test.ts keeps both in step).
function _bp_fastlist
    set -g _bp_fastargs
    set -g _bp_fpok 0
    # No context here (or resolve failed for it): nothing to look at until the next cd.
    if test -z "$_bp_dir"; or test "$_bp_failed" = "$_bp_dir"
        set -g _bp_fpok 2
        return 0
    end
    # The judged state: said, or nothing to say.
    test -z "$_bp_keyval"; or contains -- "$_bp_keyval" $_bp_warned; or return 0
    # A secret is never copied: the fast path needs them all empty, as they were.
    test -z "$AWS_SECRET_ACCESS_KEY$AWS_SESSION_TOKEN$AWS_SECURITY_TOKEN$AWS_BEARER_TOKEN_BEDROCK"; or return 0
    set -g _bp_fpv "$AWS_PROFILE|$AWS_ACCESS_KEY_ID|$AWS_DEFAULT_PROFILE|$AWS_CONFIG_FILE|$AWS_SHARED_CREDENTIALS_FILE|$AWS_REGION|$AWS_DEFAULT_REGION"
    set -g _bp_fpe
    set -g _bp_fpu
    for n in AWS_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_SECURITY_TOKEN AWS_DEFAULT_PROFILE AWS_BEARER_TOKEN_BEDROCK AWS_CONFIG_FILE AWS_SHARED_CREDENTIALS_FILE AWS_REGION AWS_DEFAULT_REGION
        if set -qx $n
            set -a _bp_fpe $n
        else
            set -a _bp_fpu $n
        end
    end
    set -g _bp_fpun (count $_bp_fpu)
    # All of them exported: no fast path (`set -qx` with no name is an error).
    test $_bp_fpun -gt 0; or return 0
    if test -n "$_bp_rec"
        set -a _bp_fastargs -a "$_bp_recdir" -ot "$_bp_stamp"
        for f in $_bp_srcs
            set -a _bp_fastargs -a -e $f -a ! $f -nt $_bp_rec
        end
        for f in $_bp_abs
            set -a _bp_fastargs -a ! -e $f
        end
        set -l root $_bp_root
        test -n "$root"; or set root $_bp_dir
        # Paths as whole values (no command substitution, which would split a name with a newline).
        set -l files "$_bp_dir/.claude/settings.json" "$root/.claude/settings.local.json"
        set -l present $_bp_project $_bp_local
        for i in 1 2
            set -l f $files[$i]
            if test "$present[$i]" = 1
                # A repo settings file kept as a dangling link stays "present" while it is one.
                if test -L "$f"; and not test -e "$f"
                    set -a _bp_fastargs -a -L $f -a ! $f -nt $_bp_rec
                else
                    set -a _bp_fastargs -a -e $f -a ! $f -nt $_bp_rec
                end
            else
                set -a _bp_fastargs -a ! -e $f -a ! -L $f
            end
        end
    end
    set -g _bp_fpok 1
end

# Before reading a record: make sure a record renamed into place after the read makes the records
# directory at least as new as this shell's stamp (src/hook/stamps.ts). While the directory is older than
# the stamp that already holds; otherwise append a byte (fish has no `<>`; an append always updates the
# mtime, a truncation costs more on ext4). No stamps directory (resolve makes it): no fast path.
function _bp_touch
    test -n "$_bp_stamp"; or return 0
    # fish reports a failed redirection itself, whatever 2> says: look before writing.
    # Only in our own stamps directory, never through a link (docs/security.md).
    test "$_bp_recdir" -ot "$_bp_stamp"; or test ! -d "$_bp_stampdir" -o ! -O "$_bp_stampdir" -o -L "$_bp_stampdir" -o -L "$_bp_stamp"; or echo -n 1 >>"$_bp_stamp"
    return 0
end

function _bp_hook
    status is-command-substitution; and return 0
    test "$_bp_disabled" = 1; and return 0
    # The fast path (see _bp_fastlist).
    test "$_bp_fpok" = 2 -a "$PWD" = "$_bp_pwd"; and return 0
    if test "$_bp_fpok" = 1 -a "$PWD" = "$_bp_pwd" -a "$AWS_PROFILE|$AWS_ACCESS_KEY_ID|$AWS_DEFAULT_PROFILE|$AWS_CONFIG_FILE|$AWS_SHARED_CREDENTIALS_FILE|$AWS_REGION|$AWS_DEFAULT_REGION" = "$_bp_fpv" -a -z "$AWS_SECRET_ACCESS_KEY$AWS_SESSION_TOKEN$AWS_SECURITY_TOKEN$AWS_BEARER_TOKEN_BEDROCK" $_bp_fastargs
        set -qx $_bp_fpu
        if test $status -eq $_bp_fpun
            test -z "$_bp_fpe"; or set -qx $_bp_fpe; and return 0
        end
    end
    if test "$PWD" != "$_bp_pwd"
        _bp_chdir
    else
        _bp_warm
    end
    _bp_fastlist
end

function _bp_on_pwd --on-variable PWD
    set -l rc $status
    _bp_hook
    return $rc
end

function _bp_on_prompt --on-event fish_prompt
    set -l rc $status
    _bp_hook
    return $rc
end

# Exported so `bedrock-profile doctor` (a child) can tell the hook is active in this shell.
set -gx BEDROCK_PROFILE_HOOK fish

# The prompt segment, e.g. `ui-dev 42m`. The minutes need the clock: fish has no builtin for it, so
# `date` runs only when the record knows an expiry. Call it from fish_prompt or fish_right_prompt.
function bedrock_profile_prompt
    set -l p $AWS_PROFILE
    test -n "$p"; or set p $_bp_expect
    test -n "$p"; or return 0
    _bp_valid_profile "$p"; or set p '?'
    if test "$p" = "$_bp_expect"; and test -n "$_bp_expires"
        set -l m (math -s0 "($_bp_expires - "(date +%s)") / 60")
        # The session's end (the record's expires): an hour or more as 2h10m.
        if test $m -ge 60
            printf '%s %dh%02dm' $p (math -s0 "$m / 60") (math "$m % 60")
        else if test $m -gt 0
            printf '%s %sm' $p $m
        else
            printf '%s expired' $p
        end
    else
        printf '%s' $p
    end
end
