# shellcheck shell=bash
# bedrock-profile shell hook for bash (4.4 or newer).
#
#   eval "$(bedrock-profile hook bash)"          # or, without Node at start-up:
#   BEDROCK_PROFILE_BIN=/path/to/bedrock-profile; source /path/to/shell/hook.bash
#
# Per prompt with nothing changed it runs ONE compiled `[[ ]]`, builtins only, no fork: the same $PWD, no
# record rewritten since this shell's stamp, every source file as the record saw it, and the watched
# variables as they were (see _bp_compile). On a directory change it finds the launch context with
# builtins and reads the record that `bedrock-profile resolve` wrote (key=value lines, read with `read`,
# never evaluated). It runs `bedrock-profile resolve` only when the record is missing or stale, or when
# there is something new to say. The protocol: docs/ARCHITECTURE.md.
#
# Registration: with bash-preexec loaded, a `precmd_functions` entry; otherwise the first entry of
# PROMPT_COMMAND (string, or array in bash 5.1+), as direnv and zoxide do, so a DEBUG-trap timer such as
# starship's never sees our call as a command. `$?` is preserved; the prompt's PIPESTATUS too (bash
# restores it around PROMPT_COMMAND). Safe under `set -u`.

# Registered in interactive bash 4.4+ only (at the end). No top-level `return`: this text is also
# eval'd from ~/.bashrc, which some systems source in non-interactive shells, where a `return` would
# end ~/.bashrc itself. Below, only function definitions run outside an interactive shell.

# A profile name we are willing to export: letters, digits and _.+=,@-, 1 to 128 characters.
_bp_valid_profile() {
  [[ -n $1 && ${#1} -le 128 && $1 != *[!abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.+=,@-]* ]]
}

# A variable the stray rules may watch: one of _bp_watch but AWS_PROFILE (STRAY_INPUTS).
_bp_watched() {
  [[ -n $1 && $1 != AWS_PROFILE && $1 != *' '* && " ${_bp_watch[*]} " == *" $1 "* ]]
}

# The launch context of $PWD (mirrors src/hook/launch-context.ts): sets _bp_dir and _bp_root.
_bp_find() {
  local d=$PWD g='' l='' home=${HOME-}
  while :; do
    if [[ -z $l && $d != "$home" && ( -e $d/.claude/settings.json || -L $d/.claude/settings.json ) ]]; then
      l=$d
    fi
    if [[ -e $d/.git ]]; then g=$d; break; fi
    [[ $d == / || -z $d ]] && break
    d=${d%/*}
    [[ -n $d ]] || d=/
  done
  if [[ -z $g && -n $l ]]; then
    if [[ -n $home && $PWD == "$home"/* ]]; then
      [[ $l == "$home"/* ]] || l=''
    else
      [[ $l == "$PWD" ]] || l=''
    fi
  fi
  _bp_root=$g
  _bp_dir=${l:-$g}
}

# Parse record lines (the array _bp_lines) into the _bp_* variables. Returns 1 if it is not a record (or
# not laid out as src/hook/record.ts writes it: resolve then writes it anew). By position where the
# layout is fixed, one statement for the nine one-value lines: every statement counts on a cd.
_bp_parse() {
  local line key
  local -i i=3
  # check= is split on spaces with globbing off, in this function only (`local -`).
  local - IFS=' '
  set -f
  [[ ${_bp_lines[0]-} == 'bedrock-profile-record 1 '* && ${_bp_lines[1]-} == dir=* ]] || return 1
  # Percent-encoded (% and control characters, src/hook/record-name.ts): decode, then compare.
  line=${_bp_lines[1]:4}
  if [[ $line == *%* ]]; then line=${line//\\/\\\\}; printf -v line %b "${line//\%/\\x}"; fi
  [[ $line == "$_bp_dir" ]] || return 1
  _bp_head=${_bp_lines[0]} _bp_fp='' _bp_srcs=() _bp_abs=() _bp_check=() _bp_agree=() _bp_expires=''
  # [2] is root= (the hook finds the root itself).
  while [[ ${_bp_lines[i]-} == src=* ]]; do _bp_srcs+=("${_bp_lines[i]:4}") i+=1; done
  while [[ ${_bp_lines[i]-} == absent=* ]]; do _bp_abs+=("${_bp_lines[i]:7}") i+=1; done
  [[ ${_bp_lines[i]-} == project=* && ${_bp_lines[i + 1]-} == local=* && ${_bp_lines[i + 2]-} == profile=* &&
    ${_bp_lines[i + 3]-} == expect=* && ${_bp_lines[i + 4]-} == switch=* && ${_bp_lines[i + 5]-} == hint=* &&
    ${_bp_lines[i + 6]-} == notice=* && ${_bp_lines[i + 7]-} == unsetok=* && ${_bp_lines[i + 8]-} == check=* ]] || return 1
  _bp_project=${_bp_lines[i]:8} _bp_local=${_bp_lines[i + 1]:6} _bp_profile=${_bp_lines[i + 2]:8} \
    _bp_expect=${_bp_lines[i + 3]:7} _bp_switch=${_bp_lines[i + 4]:7} _bp_hint=${_bp_lines[i + 5]:5} \
    _bp_notice=${_bp_lines[i + 6]:7} _bp_unsetok=${_bp_lines[i + 7]:8} line=${_bp_lines[i + 8]:6}
  # Names only, for ${!n} and -v (defence in depth): a `[` would make them evaluate a subscript such as
  # a[$(cmd)]; any other non-name is merely not set.
  # shellcheck disable=SC2206 # split on IFS (a space), globbing off: see above
  [[ $line == *\[* ]] || _bp_check=($line)
  for line in "${_bp_lines[@]:i+9}"; do
    case $line in
      agree=*)
        line=${line:6} key=${line%%=*}
        _bp_watched "$key" && _bp_agree[$key]=${line:${#key}+1}
        ;;
      expires=*) [[ ${line:8} == +([0123456789]) ]] && _bp_expires=${line:8} ;;
    esac
  done
  # Defence in depth: never export a name TypeScript should already have refused (the others are only
  # compared; the prompt segment checks what it prints). The test of _bp_valid_profile, inlined.
  [[ $_bp_switch != 1 || ( -n $_bp_profile && ${#_bp_profile} -le 128 &&
    $_bp_profile != *[!abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.+=,@-]* ) ]] || _bp_profile='' _bp_switch=0
  _bp_pgen+=1
  return 0
}

# The prompt's fast path, compiled for the current state into ONE `[[ ]]` (no loop, no function call):
#   - the same $PWD;
#   - no record rewritten since this shell's stamp (the records directory is older than the stamp, see
#     _bp_chdir);
#   - every source file as the record saw it: present and not newer than the record, absent paths still
#     absent, the repo's absent settings files not there even as a link;
#   - the watched variables as they were when last judged (_bp_fingerprint, compiled with it: the full
#     state of each variable set now, only "still unset" for the others, which is most of them).
# When it is false, _bp_prompt takes the full look. The source-file tests alone are _bp_fresh (is the
# record still fresh?) and the fingerprint alone is _bp_fingerprint, for the full look. The text is made
# of fixed words and our own variable names only: paths are referenced as $_bp_cN, $_bp_pf and $_bp_lf,
# never pasted in, so no record or repo text is ever evaluated. Nothing is done when the lists and flags are those compiled last (a cd between two
# repos that read the same global files), and nothing evaluated when only the paths changed.
# shellcheck disable=SC2016 # code text, expanded when the compiled functions run
_bp_compile() {
  local IFS=$'\n' key t='' f fn fpx='"' on=0 dangling=''
  local -i i=0
  _bp_setness
  [[ -n $_bp_dir && $_bp_failed != "$_bp_dir" ]] && on=1
  # Unchanged since the last call: no record parsed since (_bp_pgen), same flags, same variables set.
  key="$_bp_pgen $on ${_bp_rec:+1} $_bp_disabled $_bp_wset"
  [[ $key == "$_bp_qkey" ]] && return 0
  _bp_qkey=$key
  # A repo settings file kept as a dangling link stays "present" (resolve reported it) while it is one.
  [[ $_bp_project == 1 && -L $_bp_pf && ! -e $_bp_pf ]] && dangling+=p
  [[ $_bp_local == 1 && -L $_bp_lf && ! -e $_bp_lf ]] && dangling+=l
  # Newlines never occur in src=/absent= paths (the writer refuses them): a safe separator.
  key="$on ${_bp_rec:+1} $_bp_project$_bp_local $dangling ${#_bp_srcs[@]} ${#_bp_abs[@]} $_bp_disabled $_bp_wset"
  key+=$'\n'"${_bp_srcs[*]}"$'\n'"${_bp_abs[*]}"
  [[ $key == "$_bp_ckey" ]] && return 0
  _bp_ckey=$key
  for f in "${_bp_srcs[@]}"; do
    printf -v "_bp_c$((++i))" %s "$f"
    t+=" && -e \$_bp_c$i && ! \$_bp_c$i -nt \$_bp_rec"
  done
  for f in "${_bp_abs[@]}"; do printf -v "_bp_c$((++i))" %s "$f"; t+=" && ! -e \$_bp_c$i"; done
  for f in "$_bp_project"pf "$_bp_local"lf; do
    case $f in
      0*) t+=" && ! -e \$_bp_${f:1} && ! -L \$_bp_${f:1}" ;;
      *) [[ $dangling == *${f:1:1}* ]] && t+=" && -L \$_bp_${f:1}" || t+=" && -e \$_bp_${f:1}"
         t+=" && ! \$_bp_${f:1} -nt \$_bp_rec" ;;
    esac
  done
  for f in "${_bp_watch[@]}"; do
    if [[ -v $f ]]; then
      case $f in
        *SECRET* | *TOKEN*) fpx+="\${$f+\${$f@a}\${$f:+1}}|" ;;
        *) fpx+="\${$f+\${$f@a}=\$$f}|" ;;
      esac
    else
      fpx+="\${$f+.}|"
    fi
  done
  fpx+='"'
  fn="_bp_fresh() { [[ ${t# && } ]]; }"$'\n'"_bp_fingerprint() { _bp_fpnow=$fpx; }"$'\n'
  if [[ $_bp_disabled == 1 ]]; then
    fn+='_bp_hook() { return "$?"; }'
  elif ((!on)); then
    fn+='_bp_hook() { _bp_rc=$?; [[ $PWD == "$_bp_pwd" ]] || _bp_prompt; return $_bp_rc; }'
  elif [[ -z $_bp_rec ]]; then
    fn+="_bp_hook() { _bp_rc=\$?; [[ \$PWD == \"\$_bp_pwd\" && $fpx == \"\$_bp_fp\" ]] || _bp_prompt; return \$_bp_rc; }"
  else
    fn+="_bp_hook() { _bp_rc=\$?; [[ \$PWD == \"\$_bp_pwd\" && \$_bp_recdir -ot \$_bp_stamp$t && $fpx == \"\$_bp_fp\" ]] || _bp_prompt; return \$_bp_rc; }"
  fi
  [[ $fn == "$_bp_compiled" ]] && return 0
  _bp_compiled=$fn
  # Fixed text (above); aliases off while it is parsed, so none can change a word of it.
  if shopt -q expand_aliases; then
    shopt -u expand_aliases
    eval "$fn"
    shopt -s expand_aliases
  else
    eval "$fn"
  fi
  return 0
}

# Read and parse the current context's record, and compile its freshness test (_bp_fresh).
_bp_read_record() {
  _bp_lines=()
  # Only a record of ours in our own records directory, never through a link: another user who made
  # the directory first must not plant one (docs/security.md). resolve then refuses in one line.
  [[ -n $_bp_rec && -f $_bp_rec && -O $_bp_rec && ! -L $_bp_rec && -O $_bp_recdir && ! -L $_bp_recdir ]] || return 1
  mapfile -t _bp_lines <"$_bp_rec" || return 1
  _bp_parse || return 1
  _bp_compile
}

# Run `bedrock-profile resolve` for the current context: it writes the record, prints it (parsed here)
# and, unless $1 is --quiet, what the user should know on stderr. Returns 1 when it failed (tried
# again after a cd).
_bp_resolve() {
  local bin=${BEDROCK_PROFILE_BIN:-bedrock-profile} out
  local -a opts=()
  [[ -n ${1-} ]] && opts+=("$1")
  if [[ $bin == */* ]]; then [[ -x $bin ]]; else hash "$bin" 2>/dev/null; fi || {
    [[ $_bp_disabled == 1 ]] || printf 'bedrock-profile: the hook cannot find %q; reinstall, or set BEDROCK_PROFILE_BIN to the bedrock-profile binary\n' "$bin" >&2
    _bp_disabled=1
    return 1
  }
  ((_bp_changed)) && opts+=(--changed)
  [[ -n $_bp_said && -z ${1-} ]] && opts+=("--said=$_bp_said")
  # Owned: resolve judges the shell as the hook leaves it, i.e. with what the hook would give back.
  local owned=0
  if ((!_bp_handsoff)) && ! { ((_bp_active)) && [[ ${AWS_PROFILE-} != "$_bp_set" ]]; }; then opts+=(--owned) owned=1; fi
  out=$(if ((owned && _bp_active)); then _bp_give_back; fi
    "$bin" resolve "${opts[@]}" -- "$_bp_dir" </dev/null) || { _bp_failed=$_bp_dir; return 1; }
  mapfile -t _bp_lines <<<"$out"
  _bp_parse || { _bp_failed=$_bp_dir; return 1; }
  _bp_failed=''
  return 0
}

# Give back the AWS_PROFILE the hook saved (in resolve's subshell: as the hook will leave the shell).
_bp_give_back() {
  if [[ $_bp_saved_set == 1 ]]; then export AWS_PROFILE="$_bp_saved"; else unset AWS_PROFILE; fi
}

# Export the repo's profile, or give back what was there, following the ownership rules.
_bp_apply() {
  local want=''
  [[ $_bp_switch == 1 ]] && want=$_bp_profile
  if ((_bp_active)) && [[ ${AWS_PROFILE-} != "$_bp_set" ]]; then
    # Changed by hand since we set it: it is the user's now.
    _bp_active=0 _bp_handsoff=1
  fi
  if [[ -n $want ]]; then
    ((_bp_handsoff)) && return 0
    if ((!_bp_active)); then
      if [[ -v AWS_PROFILE ]]; then _bp_saved_set=1; else _bp_saved_set=0; fi
      _bp_saved=${AWS_PROFILE-} _bp_active=1
    fi
    export AWS_PROFILE="$want"
    _bp_set=$want
  elif ((_bp_active)); then
    _bp_give_back
    _bp_active=0
  fi
  return 0
}

_bp_apply_if_changed() {
  if [[ $_bp_applied != "$_bp_switch:$_bp_profile" ]]; then
    # The repo's profile changed under the shell (an edit, a checkout, `use`): it gets its line, every time.
    if [[ -n $_bp_applied && ${_bp_applied#*:} != "$_bp_profile" ]]; then _bp_changed=1 _bp_said=''; _bp_forget; fi
    _bp_applied=$_bp_switch:$_bp_profile
    _bp_apply
  fi
}

# Forget what was said in this context (its profile changed: everything is new again).
_bp_forget() {
  local k
  local -A keep=()
  for k in "${!_bp_warned[@]}"; do [[ $k == "$_bp_dir"$'\x1f'* ]] || keep[$k]=1; done
  _bp_warned=()
  for k in "${!keep[@]}"; do _bp_warned[$k]=1; done
}

# The state that decides whether there is something to say; empty when all is consistent.
_bp_key() {
  local n present='' p='' h=0
  # Usually none of the watched variables is set: no loop then (the names are STRAY_INPUTS).
  [[ -n ${AWS_ACCESS_KEY_ID+1}${AWS_SECRET_ACCESS_KEY+1}${AWS_SESSION_TOKEN+1}${AWS_SECURITY_TOKEN+1}${AWS_DEFAULT_PROFILE+1}${AWS_BEARER_TOKEN_BEDROCK+1}${AWS_CONFIG_FILE+1}${AWS_SHARED_CREDENTIALS_FILE+1}${AWS_REGION+1}${AWS_DEFAULT_REGION+1} ]] &&
  for n in "${_bp_check[@]}"; do
    [[ -v $n && ${!n@a} == *x* && -n ${!n} ]] || continue
    [[ -n ${_bp_agree[$n]-} && ${!n} == "${_bp_agree[$n]}" ]] && continue
    present+=" $n"
  done
  _bp_present=$present
  if [[ -n $_bp_expect ]]; then
    if [[ -v AWS_PROFILE && ${AWS_PROFILE@a} == *x* && -n $AWS_PROFILE ]]; then
      [[ $AWS_PROFILE == "$_bp_expect" ]] || p=other
    else
      [[ $_bp_unsetok == 1 ]] || p='unset'
    fi
  fi
  [[ $_bp_hint == 1 && ${AWS_PROFILE-} != "$_bp_profile" ]] && h=1
  [[ -n $p ]] && _bp_present+=" AWS_PROFILE"
  REPLY=''
  if [[ -n $present || -n $p || $_bp_notice == 1 || $h == 1 || $_bp_changed == 1 ]]; then
    REPLY="$_bp_dir"$'\x1f'"$present"$'\x1f'"$p"$'\x1f'"$_bp_notice$h$_bp_changed"
    # A state said before (back in the context): what is set now was said.
    [[ -n ${_bp_warned[$REPLY]-} ]] && _bp_said=$_bp_present
  fi
}

# Say it once per (context, state): run resolve (which prints) unless it just spoke for this state.
_bp_speak() {
  _bp_key
  [[ -z $REPLY || -n ${_bp_warned[$REPLY]-} ]] && return 0
  if [[ $1 != 1 ]]; then
    _bp_resolve || return 0
    _bp_apply_if_changed
    _bp_key
  fi
  [[ -n $REPLY ]] && _bp_warned[$REPLY]=1
  _bp_said=$_bp_present
  # Said: the state after the change is the one to remember.
  if ((_bp_changed)); then _bp_changed=0; _bp_key; [[ -n $REPLY ]] && _bp_warned[$REPLY]=1; fi
  return 0
}

# A directory change: find the context, load or make its record, switch, speak.
_bp_chdir() {
  local REPLY spoke=0 name prev=$_bp_dir
  _bp_pwd=$PWD _bp_fp='' _bp_restale=0
  _bp_find
  # A new context: the user's hands-off choice was for the one we left.
  [[ $_bp_dir == "$prev" ]] || _bp_handsoff=0 _bp_applied='' _bp_said='' _bp_changed=0
  if [[ -z $_bp_dir ]]; then
    _bp_rec='' _bp_head='' _bp_profile='' _bp_expect='' _bp_switch=0 _bp_expires=''
    _bp_apply_if_changed
    return 0
  fi
  # The records directory (src/platform/paths.ts).
  if [[ ${XDG_CACHE_HOME-} == /* ]]; then REPLY=$XDG_CACHE_HOME/bedrock-profile/records
  elif [[ ${OSTYPE-} == darwin* ]]; then REPLY=${HOME-}/Library/Caches/bedrock-profile/records
  else REPLY=${HOME-}/.cache/bedrock-profile/records
  fi
  name=${_bp_dir//\%/%25}; name=${name//$'\n'/%0A}; name=${name//\//%2F}
  _bp_rec=$REPLY/$name _bp_recdir=$REPLY _bp_stamp=${REPLY%/records}/stamps/${HOSTNAME-}.$$
  _bp_pf=$_bp_dir/.claude/settings.json _bp_lf=${_bp_root:-$_bp_dir}/.claude/settings.local.json
  # Before reading a record: a record renamed into place after the read must make the records
  # directory at least as new as this shell's stamp (src/hook/stamps.ts), so the fast path steps aside.
  # While the directory is older than the stamp that already holds; otherwise write the stamp: one byte
  # overwritten in place (a write always updates the mtime; no truncation, which on ext4 costs more than
  # the rest of a cd). No stamps directory (resolve makes it): every prompt takes the full look.
  # Only in our own stamps directory, never through a link (docs/security.md).
  [[ $_bp_recdir -ot $_bp_stamp || ! -O ${_bp_stamp%/*} || -L ${_bp_stamp%/*} || -L $_bp_stamp ]] ||
    { printf 1 1<>"$_bp_stamp"; } 2>/dev/null
  if ! _bp_read_record; then
    # First visit: one run writes the record and says what there is to say.
    _bp_resolve || { _bp_switch=0 _bp_profile='' _bp_expect=''; _bp_apply_if_changed; return 0; }
    spoke=1
    # No file (a name too long for the file system): no freshness checks until the next cd.
    [[ -f $_bp_rec ]] || _bp_rec=''
  elif ! _bp_fresh; then
    # Refresh quietly; _bp_speak says something only if the new state was not said yet.
    _bp_resolve --quiet || { _bp_switch=0 _bp_profile='' _bp_expect=''; _bp_apply_if_changed; return 0; }
  fi
  _bp_apply_if_changed
  _bp_key
  [[ -z $REPLY || -n ${_bp_warned[$REPLY]-} ]] || _bp_speak "$spoke"
  # Judged (said, or nothing to say): _bp_prompt takes the fingerprint once it has compiled.
  [[ -z $REPLY || -n ${_bp_warned[$REPLY]-} ]] && judged=1
  return 0
}

# The same directory, a rewritten (new generation) or stale record: re-read it or resolve again.
_bp_refresh() {
  if [[ $1 != "$_bp_head" ]]; then
    if ! _bp_read_record || ! _bp_fresh; then _bp_resolve --quiet || return 1; fi
  else
    _bp_resolve --quiet || return 1
  fi
  _bp_apply_if_changed
  # A source dated in the future stays newer than every record: after two refreshes in a row whose record
  # is stale at once, no more until the next cd (resolve says why, and the fix).
  _bp_compile
  if _bp_fresh; then _bp_restale=0; elif ((++_bp_restale >= 2)); then _bp_failed=$_bp_dir; fi
  # A new record is judged at once, even with the same variables (its profile may be new).
  _bp_fp=''
}

# The full look, when the compiled fast path (_bp_hook, see _bp_compile) is false: a directory change,
# a records directory newer than our stamp, a source file changed, or the watched variables changed.
_bp_prompt() {
  local judged=0
  # Not in subshells.
  if ((BASH_SUBSHELL == 0)) && [[ $_bp_disabled != 1 ]]; then
    local -a _bp_lines=()
    local REPLY head=''
    if [[ $PWD != "$_bp_pwd" ]]; then
      _bp_chdir
    elif [[ -n $_bp_dir && $_bp_failed != "$_bp_dir" ]]; then
      if [[ -n $_bp_rec ]]; then
        [[ $_bp_recdir -ot $_bp_stamp || ! -O ${_bp_stamp%/*} || -L ${_bp_stamp%/*} || -L $_bp_stamp ]] ||
          { printf 1 1<>"$_bp_stamp"; } 2>/dev/null
        [[ -f $_bp_rec && -O $_bp_rec && ! -L $_bp_rec ]] && { IFS= read -r head <"$_bp_rec"; } 2>/dev/null
        if [[ $head != "$_bp_head" ]] || ! _bp_fresh; then
          _bp_refresh "$head" || { _bp_compile; return 0; }
        fi
      fi
      # Compiled for the variables set now (see _bp_compile).
      _bp_compile
      _bp_fingerprint
      if [[ $_bp_fpnow != "$_bp_fp" ]]; then
        _bp_key
        [[ -z $REPLY || -n ${_bp_warned[$REPLY]-} ]] || _bp_speak 0
        # Judged (said, or nothing to say): the same variables need no new look until they change.
        [[ -z $REPLY || -n ${_bp_warned[$REPLY]-} ]] && _bp_fp=$_bp_fpnow
      fi
    fi
  fi
  _bp_compile
  # After a cd: the next prompt can take the fast path.
  if ((judged)); then _bp_fingerprint; _bp_fp=$_bp_fpnow; fi
  return 0
}

# Every prompt: compiled by _bp_compile at the first prompt and whenever the state changes shape.
_bp_hook() {
  _bp_rc=$?
  _bp_prompt
  return "$_bp_rc"
}

# The prompt segment, e.g. `ui-dev 42m`: builtins only (bash 5 for the minutes). Put
# `$(bedrock_profile_prompt)` in PS1, or call it from your prompt framework.
bedrock_profile_prompt() {
  local p=${AWS_PROFILE:-$_bp_expect} m
  [[ -n $p ]] || return 0
  _bp_valid_profile "$p" || p='?'
  if [[ $p == "$_bp_expect" && -n $_bp_expires && -n ${EPOCHSECONDS-} ]]; then
    m=$(((_bp_expires - EPOCHSECONDS) / 60))
    # The session's end (the record's expires): an hour or more as 2h10m.
    if ((m >= 60)); then
      printf '%s %dh%02dm' "$p" $((m / 60)) $((m % 60))
    elif ((m > 0)); then printf '%s %sm' "$p" "$m"; else printf '%s expired' "$p"; fi
  else
    printf '%s' "$p"
  fi
}

if [[ $- == *i* ]] && ((BASH_VERSINFO[0] > 4 || (BASH_VERSINFO[0] == 4 && BASH_VERSINFO[1] >= 4))); then
  declare -g _bp_pwd="${_bp_pwd-}" _bp_dir="${_bp_dir-}" _bp_root="${_bp_root-}" _bp_rec="${_bp_rec-}"
  declare -g _bp_restale="${_bp_restale-0}" _bp_head="${_bp_head-}" _bp_failed="${_bp_failed-}" _bp_applied="${_bp_applied-}"
  # A sourced file defines _bp_hook anew: compile again.
  declare -g _bp_fp="${_bp_fp-}" _bp_fpnow="" _bp_rc=0 _bp_compiled=""
  declare -g _bp_recdir="${_bp_recdir-}" _bp_stamp="${_bp_stamp-}" _bp_pf="${_bp_pf-}" _bp_lf="${_bp_lf-}" _bp_ckey="" _bp_qkey=""
  declare -gi _bp_pgen="${_bp_pgen-0}"
  declare -g _bp_project="${_bp_project-0}" _bp_local="${_bp_local-0}" _bp_profile="${_bp_profile-}"
  declare -g _bp_expect="${_bp_expect-}" _bp_switch="${_bp_switch-0}" _bp_hint="${_bp_hint-0}"
  declare -g _bp_notice="${_bp_notice-0}" _bp_unsetok="${_bp_unsetok-1}" _bp_expires="${_bp_expires-}"
  declare -g _bp_active="${_bp_active-0}" _bp_set="${_bp_set-}" _bp_saved="${_bp_saved-}"
  declare -g _bp_saved_set="${_bp_saved_set-0}" _bp_handsoff="${_bp_handsoff-0}" _bp_disabled="${_bp_disabled-0}"
  declare -g _bp_changed="${_bp_changed-0}" _bp_said="${_bp_said-}" _bp_present="${_bp_present-}"
  # The variables whose state decides what there is to say: AWS_PROFILE and STRAY_INPUTS in
  # src/hook/check-vars.ts (test/shell/hook-freshness.test.ts keeps the list in step). A secret (SECRET or
  # TOKEN in its name) enters the fingerprint only as empty or not: no copy of it is kept.
  declare -ga _bp_watch=(AWS_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_SECURITY_TOKEN
    AWS_DEFAULT_PROFILE AWS_BEARER_TOKEN_BEDROCK AWS_CONFIG_FILE AWS_SHARED_CREDENTIALS_FILE AWS_REGION AWS_DEFAULT_REGION)
  # Which of them are set, in one expansion (our own names only): part of what _bp_compile compiles for.
  declare -g _bp_wset=''
  _bp_watch_init() {
    local n x=''
    for n in "${_bp_watch[@]}"; do x+="\${$n+1}|"; done
    eval "_bp_setness() { _bp_wset=\"$x\"; }"
  }
  _bp_watch_init
  unset -f _bp_watch_init
  # Sourcing twice keeps the state (what was said, what to restore).
  declare -p _bp_srcs &>/dev/null || declare -ga _bp_srcs=()
  declare -p _bp_abs &>/dev/null || declare -ga _bp_abs=()
  declare -p _bp_check &>/dev/null || declare -ga _bp_check=()
  declare -p _bp_agree &>/dev/null || declare -gA _bp_agree=()
  declare -p _bp_warned &>/dev/null || declare -gA _bp_warned=()

  # Register once (sourcing twice adds nothing).
  if [[ -n ${bash_preexec_imported-}${__bp_imported-} ]]; then
    [[ " ${precmd_functions[*]-} " == *' _bp_hook '* ]] || precmd_functions+=(_bp_hook)
  elif [[ -v PROMPT_COMMAND && ${PROMPT_COMMAND@a} == *a* ]]; then
    [[ " ${PROMPT_COMMAND[*]} " == *' _bp_hook '* ]] || PROMPT_COMMAND=(_bp_hook "${PROMPT_COMMAND[@]}")
  elif [[ ${PROMPT_COMMAND-} != *_bp_hook* ]]; then
    # shellcheck disable=SC2178 # a string here: the array case is above
    PROMPT_COMMAND="_bp_hook${PROMPT_COMMAND:+;${PROMPT_COMMAND#;}}"
  fi
  # Exported so `bedrock-profile doctor` (a child) can tell the hook is active in this shell.
  export BEDROCK_PROFILE_HOOK=bash
elif [[ $- == *i* ]]; then
  printf 'bedrock-profile: the bash hook needs bash 4.4 or newer (this is %s); install a newer bash\n' "${BASH_VERSION-}" >&2
fi
