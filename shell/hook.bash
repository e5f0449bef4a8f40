# shellcheck shell=bash
# bedrock-profile shell hook for bash (4.4 or newer).
#
#   eval "$(bedrock-profile hook bash)"          # or, without Node at start-up:
#   BEDROCK_PROFILE_BIN=/path/to/bedrock-profile; source /path/to/shell/hook.bash
#
# Per prompt with nothing changed it runs builtins only, no fork: compare $PWD, read the first line of
# the current context's record, the -e/-nt tests in one statement, and a fingerprint of the watched
# variables. On a directory change it finds the launch context with builtins and reads the record that
# `bedrock-profile resolve` wrote (key=value lines, read with `read`, never evaluated). It runs
# `bedrock-profile resolve` only when the record is missing or stale, or when there is something new to
# say. The protocol: docs/ARCHITECTURE.md.
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

_bp_records_dir() {
  if [[ ${XDG_CACHE_HOME-} == /* ]]; then REPLY=$XDG_CACHE_HOME/bedrock-profile/records
  elif [[ ${OSTYPE-} == darwin* ]]; then REPLY=${HOME-}/Library/Caches/bedrock-profile/records
  else REPLY=${HOME-}/.cache/bedrock-profile/records
  fi
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

# Parse record lines (the array _bp_lines) into the _bp_* variables. Returns 1 if it is not a record.
_bp_parse() {
  local line key val
  local -a names
  [[ ${_bp_lines[0]-} == 'bedrock-profile-record 1 '* ]] || return 1
  _bp_head=${_bp_lines[0]}
  _bp_srcs=() _bp_abs=() _bp_check=() _bp_agree=()
  _bp_profile='' _bp_expect='' _bp_switch=0 _bp_hint=0 _bp_notice=0 _bp_unsetok=1 _bp_expires='' _bp_project=0 _bp_local=0
  for line in "${_bp_lines[@]:1}"; do
    key=${line%%=*}; val=${line#*=}
    case $key in
      # Percent-encoded (% and control characters, src/hook/record-name.ts): decode, then compare.
      dir)
        if [[ $val == *%* ]]; then val=${val//\\/\\\\}; printf -v val %b "${val//\%/\\x}"; fi
        [[ $val == "$_bp_dir" ]] || return 1
        ;;
      src) _bp_srcs+=("$val") ;;
      absent) _bp_abs+=("$val") ;;
      project) _bp_project=$val ;;
      local) _bp_local=$val ;;
      profile) _bp_profile=$val ;;
      expect) _bp_expect=$val ;;
      switch) _bp_switch=$val ;;
      hint) _bp_hint=$val ;;
      notice) _bp_notice=$val ;;
      unsetok) _bp_unsetok=$val ;;
      # Variable names only: ${!n} and -v would evaluate a subscript such as a[$(cmd)] (defence in depth).
      check)
        read -r -a names <<<"$val"
        for key in "${names[@]}"; do [[ $key =~ ^[A-Z_][A-Z0-9_]*$ ]] && _bp_check+=("$key"); done
        ;;
      agree) [[ ${val%%=*} =~ ^[A-Z_][A-Z0-9_]*$ ]] && _bp_agree[${val%%=*}]=${val#*=} ;;
      expires) [[ $val == +([0-9]) ]] && _bp_expires=$val ;;
    esac
  done
  # Defence in depth: never act on a name TypeScript should already have refused.
  _bp_valid_profile "$_bp_profile" || { _bp_profile='' _bp_switch=0; }
  _bp_valid_profile "$_bp_expect" || _bp_expect=''
  _bp_fp=''
  _bp_fastlists
  return 0
}

# The freshness tests as short lists for the prompt's single `[[ ]]` (no loop, one statement): files
# that must exist and be older than the record, global paths that must not exist, repo settings files
# that must not exist even as a link. _bp_stale is the same test file by file, for what does not fit
# (more files than the `[[ ]]` has slots, or a repo settings file kept as a dangling symlink).
_bp_fastlists() {
  local p=$_bp_dir/.claude/settings.json l=${_bp_root:-$_bp_dir}/.claude/settings.local.json
  _bp_old=("${_bp_srcs[@]}") _bp_gone=("${_bp_abs[@]}") _bp_ent=() _bp_fast=1
  if [[ $_bp_project == 1 ]]; then
    [[ -L $p && ! -e $p ]] && _bp_fast=0
    _bp_old+=("$p")
  else
    _bp_ent+=("$p")
  fi
  if [[ $_bp_local == 1 ]]; then
    [[ -L $l && ! -e $l ]] && _bp_fast=0
    _bp_old+=("$l")
  else
    _bp_ent+=("$l")
  fi
  ((${#_bp_old[@]} <= 8 && ${#_bp_gone[@]} <= 4)) || _bp_fast=0
  return 0
}

_bp_read_record() {
  _bp_lines=()
  [[ -n $_bp_rec && -f $_bp_rec ]] || return 1
  mapfile -t _bp_lines <"$_bp_rec" || return 1
  _bp_parse
}

# Is the current record older than a file it was made from (or did one appear or vanish)?
_bp_stale() {
  local f p=$_bp_dir/.claude/settings.json l=${_bp_root:-$_bp_dir}/.claude/settings.local.json
  if [[ -e $p || -L $p ]]; then [[ $_bp_project == 1 && ! $p -nt $_bp_rec ]] || return 0
  else [[ $_bp_project == 0 ]] || return 0; fi
  if [[ -e $l || -L $l ]]; then [[ $_bp_local == 1 && ! $l -nt $_bp_rec ]] || return 0
  else [[ $_bp_local == 0 ]] || return 0; fi
  for f in "${_bp_srcs[@]}"; do [[ -e $f && ! $f -nt $_bp_rec ]] || return 0; done
  for f in "${_bp_abs[@]}"; do [[ ! -e $f ]] || return 0; done
  return 1
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
  if ((!_bp_handsoff)) && ! { ((_bp_active)) && [[ ${AWS_PROFILE-} != "$_bp_set" ]]; }; then opts+=(--owned); fi
  out=$("$bin" resolve "${opts[@]}" -- "$_bp_dir" </dev/null) || { _bp_failed=$_bp_dir; return 1; }
  mapfile -t _bp_lines <<<"$out"
  _bp_parse || { _bp_failed=$_bp_dir; return 1; }
  _bp_failed=''
  return 0
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
    if [[ $_bp_saved_set == 1 ]]; then export AWS_PROFILE="$_bp_saved"; else unset AWS_PROFILE; fi
    _bp_active=0
  fi
  return 0
}

_bp_apply_if_changed() {
  if [[ $_bp_applied != "$_bp_switch:$_bp_profile" ]]; then
    _bp_applied=$_bp_switch:$_bp_profile
    _bp_apply
  fi
}

# The state that decides whether there is something to say; empty when all is consistent.
_bp_key() {
  local n present='' p='' h=0
  for n in "${_bp_check[@]}"; do
    [[ -v $n && ${!n@a} == *x* && -n ${!n} ]] || continue
    [[ -n ${_bp_agree[$n]-} && ${!n} == "${_bp_agree[$n]}" ]] && continue
    present+=" $n"
  done
  if [[ -n $_bp_expect ]]; then
    if [[ -v AWS_PROFILE && ${AWS_PROFILE@a} == *x* && -n $AWS_PROFILE ]]; then
      [[ $AWS_PROFILE == "$_bp_expect" ]] || p=other
    else
      [[ $_bp_unsetok == 1 ]] || p='unset'
    fi
  fi
  [[ $_bp_hint == 1 && ${AWS_PROFILE-} != "$_bp_profile" ]] && h=1
  REPLY=''
  if [[ -n $present || -n $p || $_bp_notice == 1 || $h == 1 ]]; then
    REPLY="$_bp_dir"$'\x1f'"$present"$'\x1f'"$p"$'\x1f'"$_bp_notice$h"
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
  return 0
}

# A directory change: find the context, load or make its record, switch, speak.
_bp_chdir() {
  local REPLY spoke=0 name prev=$_bp_dir
  _bp_pwd=$PWD _bp_fp=''
  _bp_find
  # A new context: the user's hands-off choice was for the one we left.
  [[ $_bp_dir == "$prev" ]] || _bp_handsoff=0 _bp_applied=''
  if [[ -z $_bp_dir ]]; then
    _bp_rec='' _bp_head='' _bp_profile='' _bp_expect='' _bp_switch=0 _bp_expires=''
    _bp_apply_if_changed
    return 0
  fi
  _bp_records_dir
  name=${_bp_dir//\%/%25}; name=${name//$'\n'/%0A}; name=${name//\//%2F}
  _bp_rec=$REPLY/$name
  if ! _bp_read_record; then
    # First visit: one run writes the record and says what there is to say.
    _bp_resolve || { _bp_switch=0 _bp_profile='' _bp_expect=''; _bp_apply_if_changed; return 0; }
    spoke=1
    # No file (a name too long for the file system): no freshness checks until the next cd.
    [[ -f $_bp_rec ]] || _bp_rec=''
  elif _bp_stale; then
    # Refresh quietly; _bp_speak says something only if the new state was not said yet.
    _bp_resolve --quiet || { _bp_switch=0 _bp_profile='' _bp_expect=''; _bp_apply_if_changed; return 0; }
  fi
  _bp_apply_if_changed
  _bp_speak "$spoke"
}

# The same directory, a rewritten (new generation) or stale record: re-read it or resolve again.
_bp_refresh() {
  if [[ $1 != "$_bp_head" ]]; then
    if ! _bp_read_record || _bp_stale; then _bp_resolve --quiet || return 1; fi
  else
    _bp_resolve --quiet || return 1
  fi
  _bp_apply_if_changed
}

# The fingerprint below lists AWS_PROFILE and every name src/hook/check-vars.ts may put in `check=`,
# with its attributes (set, exported) and its value (for a secret only whether it is empty: no copy of
# it is kept): while it is unchanged, so is the state key, so a prompt needs no loop over the names.
# test/shell/hook-freshness.test.ts keeps the list in step with STRAY_INPUTS.
# Every prompt. The path taken when nothing changed is builtins only and no function call: compare
# $PWD, read the record's first line, the freshness tests in one `[[ ]]`, the fingerprint.
_bp_hook() {
  local rc=$?
  # Not in subshells.
  if ((BASH_SUBSHELL == 0)) && [[ $_bp_disabled != 1 ]]; then
    local -a _bp_lines=()
    local REPLY head='' fp
    if [[ $PWD != "$_bp_pwd" ]]; then
      _bp_chdir
    elif [[ -n $_bp_dir && $_bp_failed != "$_bp_dir" ]]; then
      if [[ -n $_bp_rec ]]; then
        { IFS= read -r head <"$_bp_rec"; } 2>/dev/null
        if [[ $head != "$_bp_head" ]]; then
          _bp_refresh "$head" || return "$rc"
        elif [[ $_bp_fast == 1 ]]; then
          # _bp_stale in one statement: an empty slot is true without a syscall.
          [[
          ( -z ${_bp_old[0]-} || ( -e ${_bp_old[0]} && ! ${_bp_old[0]} -nt $_bp_rec ) ) && ( -z ${_bp_old[1]-} || ( -e ${_bp_old[1]} && ! ${_bp_old[1]} -nt $_bp_rec ) ) &&
          ( -z ${_bp_old[2]-} || ( -e ${_bp_old[2]} && ! ${_bp_old[2]} -nt $_bp_rec ) ) && ( -z ${_bp_old[3]-} || ( -e ${_bp_old[3]} && ! ${_bp_old[3]} -nt $_bp_rec ) ) &&
          ( -z ${_bp_old[4]-} || ( -e ${_bp_old[4]} && ! ${_bp_old[4]} -nt $_bp_rec ) ) && ( -z ${_bp_old[5]-} || ( -e ${_bp_old[5]} && ! ${_bp_old[5]} -nt $_bp_rec ) ) &&
          ( -z ${_bp_old[6]-} || ( -e ${_bp_old[6]} && ! ${_bp_old[6]} -nt $_bp_rec ) ) && ( -z ${_bp_old[7]-} || ( -e ${_bp_old[7]} && ! ${_bp_old[7]} -nt $_bp_rec ) ) &&
          ( -z ${_bp_gone[0]-} || ! -e ${_bp_gone[0]} ) && ( -z ${_bp_gone[1]-} || ! -e ${_bp_gone[1]} ) &&
          ( -z ${_bp_gone[2]-} || ! -e ${_bp_gone[2]} ) && ( -z ${_bp_gone[3]-} || ! -e ${_bp_gone[3]} ) &&
          ( -z ${_bp_ent[0]-} || ( ! -e ${_bp_ent[0]} && ! -L ${_bp_ent[0]} ) ) && ( -z ${_bp_ent[1]-} || ( ! -e ${_bp_ent[1]} && ! -L ${_bp_ent[1]} ) )
          ]] || { _bp_refresh "$head" || return "$rc"; }
        elif _bp_stale; then
          _bp_refresh "$head" || return "$rc"
        fi
      fi
      fp="${AWS_PROFILE+${AWS_PROFILE@a}=$AWS_PROFILE}|${AWS_ACCESS_KEY_ID+${AWS_ACCESS_KEY_ID@a}=$AWS_ACCESS_KEY_ID}|${AWS_SECRET_ACCESS_KEY+${AWS_SECRET_ACCESS_KEY@a}${AWS_SECRET_ACCESS_KEY:+1}}|${AWS_SESSION_TOKEN+${AWS_SESSION_TOKEN@a}${AWS_SESSION_TOKEN:+1}}|${AWS_SECURITY_TOKEN+${AWS_SECURITY_TOKEN@a}${AWS_SECURITY_TOKEN:+1}}|${AWS_DEFAULT_PROFILE+${AWS_DEFAULT_PROFILE@a}=$AWS_DEFAULT_PROFILE}|${AWS_BEARER_TOKEN_BEDROCK+${AWS_BEARER_TOKEN_BEDROCK@a}${AWS_BEARER_TOKEN_BEDROCK:+1}}|${AWS_CONFIG_FILE+${AWS_CONFIG_FILE@a}=$AWS_CONFIG_FILE}|${AWS_SHARED_CREDENTIALS_FILE+${AWS_SHARED_CREDENTIALS_FILE@a}=$AWS_SHARED_CREDENTIALS_FILE}|${AWS_REGION+${AWS_REGION@a}=$AWS_REGION}|${AWS_DEFAULT_REGION+${AWS_DEFAULT_REGION@a}=$AWS_DEFAULT_REGION}"
      if [[ $fp != "$_bp_fp" ]]; then
        _bp_key
        [[ -z $REPLY || -n ${_bp_warned[$REPLY]-} ]] || _bp_speak 0
        # Judged (said, or nothing to say): the same variables need no new look until they change.
        [[ -z $REPLY || -n ${_bp_warned[$REPLY]-} ]] && _bp_fp=$fp
      fi
    fi
  fi
  return "$rc"
}

# The prompt segment, e.g. `ui-dev 42m`: builtins only (bash 5 for the minutes). Put
# `$(bedrock_profile_prompt)` in PS1, or call it from your prompt framework.
bedrock_profile_prompt() {
  local p=${AWS_PROFILE:-$_bp_expect} m
  [[ -n $p ]] || return 0
  _bp_valid_profile "$p" || p='?'
  if [[ $p == "$_bp_expect" && -n $_bp_expires && -n ${EPOCHSECONDS-} ]]; then
    m=$(((_bp_expires - EPOCHSECONDS) / 60))
    if ((m > 0)); then printf '%s %sm' "$p" "$m"; else printf '%s expired' "$p"; fi
  else
    printf '%s' "$p"
  fi
}

if [[ $- == *i* ]] && ((BASH_VERSINFO[0] > 4 || (BASH_VERSINFO[0] == 4 && BASH_VERSINFO[1] >= 4))); then
  declare -g _bp_pwd="${_bp_pwd-}" _bp_dir="${_bp_dir-}" _bp_root="${_bp_root-}" _bp_rec="${_bp_rec-}"
  declare -g _bp_head="${_bp_head-}" _bp_failed="${_bp_failed-}" _bp_applied="${_bp_applied-}"
  declare -g _bp_fp="${_bp_fp-}" _bp_fast="${_bp_fast-0}"
  declare -g _bp_project="${_bp_project-0}" _bp_local="${_bp_local-0}" _bp_profile="${_bp_profile-}"
  declare -g _bp_expect="${_bp_expect-}" _bp_switch="${_bp_switch-0}" _bp_hint="${_bp_hint-0}"
  declare -g _bp_notice="${_bp_notice-0}" _bp_unsetok="${_bp_unsetok-1}" _bp_expires="${_bp_expires-}"
  declare -g _bp_active="${_bp_active-0}" _bp_set="${_bp_set-}" _bp_saved="${_bp_saved-}"
  declare -g _bp_saved_set="${_bp_saved_set-0}" _bp_handsoff="${_bp_handsoff-0}" _bp_disabled="${_bp_disabled-0}"
  # Sourcing twice keeps the state (what was said, what to restore).
  declare -p _bp_srcs &>/dev/null || declare -ga _bp_srcs=()
  declare -p _bp_abs &>/dev/null || declare -ga _bp_abs=()
  declare -p _bp_check &>/dev/null || declare -ga _bp_check=()
  declare -p _bp_old &>/dev/null || declare -ga _bp_old=()
  declare -p _bp_gone &>/dev/null || declare -ga _bp_gone=()
  declare -p _bp_ent &>/dev/null || declare -ga _bp_ent=()
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
