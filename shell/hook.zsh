# bedrock-profile shell hook for zsh.
#
#   eval "$(bedrock-profile hook zsh)"          # or, without Node at start-up:
#   BEDROCK_PROFILE_BIN=/path/to/bedrock-profile; source /path/to/shell/hook.zsh
#
# Per prompt with nothing changed it runs builtins only, no fork: compare $PWD, stat the current
# context's record (its version), the -ot/-e tests in one statement, and a fingerprint of the watched
# variables. On a directory change it finds the launch context with builtins and reads the record that
# `bedrock-profile resolve` wrote (key=value lines, read with `read`, never evaluated). It runs
# `bedrock-profile resolve` only when the record is missing or stale, or when there is something new to
# say. The protocol: docs/ARCHITECTURE.md.

# Registered in interactive shells only (at the end). No top-level `return`: this text is also
# eval'd from an rc file, where a `return` would end the rc file itself.

() {
  emulate -L zsh
  typeset -g _bp_pwd _bp_dir _bp_root _bp_rec _bp_head _bp_gen _bp_failed _bp_fp
  typeset -g _bp_project _bp_local _bp_profile _bp_expect _bp_switch _bp_hint _bp_notice _bp_unsetok _bp_expires
  typeset -ga _bp_srcs _bp_abs _bp_check _bp_old _bp_gone _bp_ent
  typeset -g _bp_fast
  typeset -gA _bp_agree _bp_warned
  # Ownership of AWS_PROFILE: what we exported, and what to restore when leaving.
  typeset -g _bp_active _bp_set _bp_saved _bp_saved_set _bp_handsoff _bp_disabled _bp_applied
  : ${_bp_active:=0} ${_bp_handsoff:=0}
  zmodload -F zsh/datetime p:EPOCHSECONDS 2>/dev/null
  # sysread: one read(2) for the record's first line (the read builtin reads byte by byte).
  zmodload -F zsh/system b:sysread 2>/dev/null
  # zstat: the record's mtime (its generation, to the nanosecond) with one stat(2) instead of reading it.
  zmodload -F zsh/stat b:zstat 2>/dev/null
}

# A profile name we are willing to export: letters, digits and _.+=,@-, 1 to 128 characters.
_bp_valid_profile() {
  [[ -n $1 && ${#1} -le 128 && $1 != *[^abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.+=,@-]* ]]
}

_bp_records_dir() {
  if [[ ${XDG_CACHE_HOME-} == /* ]]; then REPLY=$XDG_CACHE_HOME/bedrock-profile/records
  elif [[ $OSTYPE == darwin* ]]; then REPLY=$HOME/Library/Caches/bedrock-profile/records
  else REPLY=$HOME/.cache/bedrock-profile/records
  fi
}

# The launch context of $PWD (mirrors src/hook/launch-context.ts): sets _bp_dir and _bp_root.
_bp_find() {
  local d=$PWD g= l= home=${HOME-}
  while :; do
    if [[ -z $l && $d != $home && ( -e $d/.claude/settings.json || -L $d/.claude/settings.json ) ]]; then
      l=$d
    fi
    if [[ -e $d/.git ]]; then g=$d; break; fi
    [[ $d == / || -z $d ]] && break
    d=${d:h}
  done
  if [[ -z $g && -n $l ]]; then
    if [[ -n $home && $PWD == $home/* ]]; then
      [[ $l == $home/* ]] || l=
    else
      [[ $l == $PWD ]] || l=
    fi
  fi
  _bp_root=$g
  _bp_dir=${l:-$g}
}

# Parse record lines (the array _bp_lines) into the _bp_* variables. Returns 1 if it is not a record.
_bp_parse() {
  local line key val
  [[ ${_bp_lines[1]-} == 'bedrock-profile-record 1 '* ]] || return 1
  _bp_head=${_bp_lines[1]} _bp_fp=
  _bp_srcs=() _bp_abs=() _bp_check=() _bp_agree=()
  _bp_profile= _bp_expect= _bp_switch=0 _bp_hint=0 _bp_notice=0 _bp_unsetok=1 _bp_expires= _bp_project=0 _bp_local=0
  for line in "${(@)_bp_lines[2,-1]}"; do
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
      # Variable names only: (P) would evaluate a subscript such as a[$(cmd)] (defence in depth).
      check) _bp_check=(${${(M)${=val}:#[A-Z_]*}:#*[^A-Z0-9_]*}) ;;
      agree)
        key=${val%%=*}
        [[ $key == [A-Z_]* && $key != *[^A-Z0-9_]* ]] && _bp_agree[$key]=${val#*=}
        ;;
      expires) [[ $val == <-> ]] && _bp_expires=$val ;;
    esac
  done
  # Defence in depth: never act on a name TypeScript should already have refused.
  _bp_valid_profile "$_bp_profile" || { _bp_profile= _bp_switch=0; }
  _bp_valid_profile "$_bp_expect" || _bp_expect=
  _bp_fastlists
  return 0
}

# The freshness tests as short lists for the prompt's single `[[ ]]` (every statement costs zsh
# signal-mask syscalls, and a loop one statement per file): files that must exist and be older than the
# record, global paths that must not exist, repo settings files that must not exist even as a link.
# _bp_stale is the same test file by file, for what does not fit (more files than the `[[ ]]` has
# slots, or a repo settings file kept as a dangling symlink).
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
  (( ${#_bp_old} <= 8 && ${#_bp_gone} <= 4 )) || _bp_fast=0
}

# The record's version: its mtime (writers set it from the generation, a new one for every write), or
# without zstat its first line. Taken before reading, so a rewrite after that is seen at the next prompt.
_bp_version() {
  local -a t
  if (( ${+builtins[zstat]} )); then
    { zstat -A t -F %s%N +mtime -- $_bp_rec } 2>/dev/null
    REPLY=${t[1]-}
  elif (( ${+builtins[sysread]} )); then
    { sysread -s 128 REPLY < $_bp_rec } 2>/dev/null
    REPLY=${REPLY%%$'\n'*}
  else
    { IFS= read -r REPLY < $_bp_rec } 2>/dev/null
  fi
}

_bp_read_record() {
  local line buf chunk REPLY
  _bp_lines=()
  [[ -n $_bp_rec && -f $_bp_rec ]] || return 1
  _bp_version
  if (( ${+builtins[sysread]} )); then
    # Whole reads (the read builtin reads byte by byte: one syscall per byte of the record).
    { while sysread -s 8192 chunk; do buf+=$chunk; done } < $_bp_rec 2>/dev/null || return 1
    _bp_lines=("${(@f)buf}")
  else
    while IFS= read -r line; do _bp_lines+=("$line"); done < $_bp_rec || return 1
  fi
  _bp_parse || return 1
  _bp_gen=$REPLY
}

# Is the current record older than a file it was made from (or did one appear or vanish)? `-ot` is
# true only when both files exist and the first is older: one test, two stat calls, per source.
_bp_stale() {
  local f r=$_bp_rec p=$_bp_dir/.claude/settings.json l=${_bp_root:-$_bp_dir}/.claude/settings.local.json
  # A repo file kept as a dangling symlink stays "present" (reported by resolve, not re-resolved).
  if [[ $_bp_project == 1 ]]; then [[ $p -ot $r ]] || [[ -L $p && ! -e $p ]] || return 0
  elif [[ -e $p || -L $p ]]; then return 0; fi
  if [[ $_bp_local == 1 ]]; then [[ $l -ot $r ]] || [[ -L $l && ! -e $l ]] || return 0
  elif [[ -e $l || -L $l ]]; then return 0; fi
  for f in "${_bp_srcs[@]}"; do [[ $f -ot $r ]] || return 0; done
  for f in "${_bp_abs[@]}"; do [[ ! -e $f ]] || return 0; done
  return 1
}

# Run `bedrock-profile resolve` for the current context: it writes the record, prints it (parsed here)
# and, unless $1 is --quiet, what the user should know on stderr. Returns 1 when it failed (tried
# again after a cd).
_bp_resolve() {
  local bin=${BEDROCK_PROFILE_BIN:-bedrock-profile} out
  local -a opts=($1)
  if [[ $bin == */* ]]; then [[ -x $bin ]]; else (( ${+commands[$bin]} )); fi || {
    [[ $_bp_disabled == 1 ]] || print -ru2 -- "bedrock-profile: the hook cannot find ${(V)bin}; reinstall, or set BEDROCK_PROFILE_BIN to the bedrock-profile binary"
    _bp_disabled=1
    return 1
  }
  (( _bp_handsoff )) || { (( _bp_active )) && [[ ${AWS_PROFILE-} != $_bp_set ]]; } || opts+=(--owned)
  out=$("$bin" resolve $opts -- "$_bp_dir" </dev/null) || { _bp_failed=$_bp_dir; return 1; }
  _bp_lines=("${(@f)out}")
  _bp_parse || { _bp_failed=$_bp_dir; return 1; }
  # What it printed, not necessarily what is on disk now: the next prompt reads the file once.
  _bp_failed= _bp_gen=
  return 0
}

# Export the repo's profile, or give back what was there, following the ownership rules.
_bp_apply() {
  local want=
  [[ $_bp_switch == 1 ]] && want=$_bp_profile
  if (( _bp_active )) && [[ ${AWS_PROFILE-} != $_bp_set ]]; then
    # Changed by hand since we set it: it is the user's now.
    _bp_active=0 _bp_handsoff=1
  fi
  if [[ -n $want ]]; then
    (( _bp_handsoff )) && return
    if (( ! _bp_active )); then
      _bp_saved_set=${+AWS_PROFILE} _bp_saved=${AWS_PROFILE-} _bp_active=1
    fi
    export AWS_PROFILE=$want
    _bp_set=$want
  elif (( _bp_active )); then
    if [[ $_bp_saved_set == 1 ]]; then export AWS_PROFILE=$_bp_saved; else unset AWS_PROFILE; fi
    _bp_active=0
  fi
}

# The state that decides whether there is something to say; empty when all is consistent.
_bp_key() {
  local n present= p h
  for n in "${_bp_check[@]}"; do
    # Usually unset: one expansion; the export test only for what is set.
    [[ -n ${(P)n} && ${parameters[$n]} == *export* ]] || continue
    [[ -n ${_bp_agree[$n]-} && ${(P)n} == ${_bp_agree[$n]} ]] && continue
    present+=" $n"
  done
  if [[ -z $_bp_expect ]]; then p=
  elif [[ ${parameters[AWS_PROFILE]-} == *export* && -n $AWS_PROFILE ]]; then
    [[ $AWS_PROFILE == $_bp_expect ]] && p= || p=other
  else
    [[ $_bp_unsetok == 1 ]] && p= || p=unset
  fi
  h=0
  [[ $_bp_hint == 1 && ${AWS_PROFILE-} != $_bp_profile ]] && h=1
  REPLY=
  if [[ -n $present || -n $p || $_bp_notice == 1 || $h == 1 ]]; then
    REPLY="$_bp_dir"$'\x1f'"$present"$'\x1f'"$p"$'\x1f'"$_bp_notice$h"
  fi
}

# Say it once per (context, state): run resolve (which prints) unless it just spoke for this state.
_bp_speak() {
  local spoke=$1
  _bp_key
  [[ -z $REPLY || -n ${_bp_warned[$REPLY]-} ]] && return
  if [[ $spoke != 1 ]]; then
    _bp_resolve || return
    _bp_apply_if_changed
    _bp_key
  fi
  [[ -n $REPLY ]] && _bp_warned[$REPLY]=1
}

_bp_apply_if_changed() {
  if [[ $_bp_applied != $_bp_switch:$_bp_profile ]]; then
    _bp_applied=$_bp_switch:$_bp_profile
    _bp_apply
  fi
}

# A directory change: find the context, load or make its record, switch, speak.
_bp_chdir() {
  local REPLY spoke=0 name prev=$_bp_dir
  _bp_pwd=$PWD _bp_fp=
  _bp_find
  # A new context: the user's hands-off choice was for the one we left.
  [[ $_bp_dir == "$prev" ]] || _bp_handsoff=0 _bp_applied=
  if [[ -z $_bp_dir ]]; then
    _bp_rec= _bp_head= _bp_profile= _bp_expect= _bp_switch=0 _bp_expires=
    _bp_apply_if_changed
    return
  fi
  _bp_records_dir
  name=${_bp_dir//\%/%25}; name=${name//$'\n'/%0A}; name=${name//\//%2F}
  _bp_rec=$REPLY/$name
  if ! _bp_read_record; then
    # First visit: one run writes the record and says what there is to say.
    _bp_resolve || { _bp_switch=0 _bp_profile= _bp_expect=; _bp_apply_if_changed; return; }
    spoke=1
    # No file (a name too long for the file system): no freshness checks until the next cd.
    [[ -f $_bp_rec ]] || _bp_rec=
  elif _bp_stale; then
    # Refresh quietly; _bp_speak says something only if the new state was not said yet.
    _bp_resolve --quiet || { _bp_switch=0 _bp_profile= _bp_expect=; _bp_apply_if_changed; return; }
  fi
  _bp_apply_if_changed
  _bp_speak $spoke
}

# The same directory, a rewritten (new generation) or stale record: re-read it or resolve again.
_bp_refresh() {
  if [[ $1 != "$_bp_gen" ]]; then
    if ! _bp_read_record || _bp_stale; then _bp_resolve --quiet || return 1; fi
  else
    _bp_resolve --quiet || return 1
  fi
  _bp_apply_if_changed
}

# The fingerprint below lists AWS_PROFILE and every name src/hook/check-vars.ts may put in `check=`,
# with its type (unset, set, exported) and its value (for a secret only whether it is empty: no copy of
# it is kept): while it is unchanged, so is the state key, so a prompt needs no loop over the names.
# test/shell/hook-freshness.test.ts keeps the list in step with STRAY_INPUTS.
# Every prompt and every cd. The path taken when nothing changed is builtins only, one function call
# (the freshness tests): compare $PWD, read the record's first line, the `-ot`/`-e` tests, and compare
# the watched variables with the values they had when the state was last judged.
_bp_hook() {
  emulate -L zsh
  # Not in subshells (a `(cd x)` must not switch anything) nor inside completion widgets.
  (( ZSH_SUBSHELL == 0 && ! ${+compstate} )) && [[ $_bp_disabled != 1 ]] || return 0
  local -a _bp_lines t
  local REPLY fp
  if [[ $PWD != "$_bp_pwd" ]]; then
    _bp_chdir
    return 0
  fi
  [[ -n $_bp_dir && $_bp_failed != "$_bp_dir" ]] || return 0
  if [[ -n $_bp_rec ]]; then
    if (( ${+builtins[zstat]} )); then
      { zstat -A t -F %s%N +mtime -- $_bp_rec } 2>/dev/null
      REPLY=${t[1]-}
    else
      _bp_version
    fi
    if [[ $REPLY != "$_bp_gen" ]]; then
      _bp_refresh "$REPLY" || return 0
    elif [[ $_bp_fast == 1 ]]; then
      # _bp_stale in one statement: an empty slot is true without a syscall.
      [[
        ( -z ${_bp_old[1]} || ${_bp_old[1]} -ot $_bp_rec ) && ( -z ${_bp_old[2]} || ${_bp_old[2]} -ot $_bp_rec ) &&
        ( -z ${_bp_old[3]} || ${_bp_old[3]} -ot $_bp_rec ) && ( -z ${_bp_old[4]} || ${_bp_old[4]} -ot $_bp_rec ) &&
        ( -z ${_bp_old[5]} || ${_bp_old[5]} -ot $_bp_rec ) && ( -z ${_bp_old[6]} || ${_bp_old[6]} -ot $_bp_rec ) &&
        ( -z ${_bp_old[7]} || ${_bp_old[7]} -ot $_bp_rec ) && ( -z ${_bp_old[8]} || ${_bp_old[8]} -ot $_bp_rec ) &&
        ( -z ${_bp_gone[1]} || ! -e ${_bp_gone[1]} ) && ( -z ${_bp_gone[2]} || ! -e ${_bp_gone[2]} ) &&
        ( -z ${_bp_gone[3]} || ! -e ${_bp_gone[3]} ) && ( -z ${_bp_gone[4]} || ! -e ${_bp_gone[4]} ) &&
        ( -z ${_bp_ent[1]} || ( ! -e ${_bp_ent[1]} && ! -L ${_bp_ent[1]} ) ) && ( -z ${_bp_ent[2]} || ( ! -e ${_bp_ent[2]} && ! -L ${_bp_ent[2]} ) )
      ]] || { _bp_refresh "$REPLY" || return 0; }
    elif _bp_stale; then
      _bp_refresh "$REPLY" || return 0
    fi
  fi
  fp="${(t)AWS_PROFILE}=${AWS_PROFILE-}|${(t)AWS_ACCESS_KEY_ID}=${AWS_ACCESS_KEY_ID-}|${(t)AWS_SECRET_ACCESS_KEY}${AWS_SECRET_ACCESS_KEY:+1}|${(t)AWS_SESSION_TOKEN}${AWS_SESSION_TOKEN:+1}|${(t)AWS_SECURITY_TOKEN}${AWS_SECURITY_TOKEN:+1}|${(t)AWS_DEFAULT_PROFILE}=${AWS_DEFAULT_PROFILE-}|${(t)AWS_BEARER_TOKEN_BEDROCK}${AWS_BEARER_TOKEN_BEDROCK:+1}|${(t)AWS_CONFIG_FILE}=${AWS_CONFIG_FILE-}|${(t)AWS_SHARED_CREDENTIALS_FILE}=${AWS_SHARED_CREDENTIALS_FILE-}|${(t)AWS_REGION}=${AWS_REGION-}|${(t)AWS_DEFAULT_REGION}=${AWS_DEFAULT_REGION-}"
  [[ $fp == "$_bp_fp" ]] && return 0
  _bp_key
  [[ -z $REPLY || -n ${_bp_warned[$REPLY]-} ]] || _bp_speak 0
  # Judged (said, or nothing to say): the same variables need no new look until they change.
  [[ -z $REPLY || -n ${_bp_warned[$REPLY]-} ]] && _bp_fp=$fp
  return 0
}

# The prompt segment, e.g. `ui-dev 42m`: builtins only. Put `$(bedrock_profile_prompt)` in PROMPT
# (with `setopt prompt_subst`), or call it from your prompt framework.
bedrock_profile_prompt() {
  emulate -L zsh
  local p=${AWS_PROFILE:-$_bp_expect} m
  [[ -n $p ]] || return 0
  _bp_valid_profile "$p" || p='?'
  if [[ $p == $_bp_expect && -n $_bp_expires && -n ${EPOCHSECONDS-} ]]; then
    m=$(( (_bp_expires - EPOCHSECONDS) / 60 ))
    if (( m > 0 )); then print -rn -- "$p ${m}m"; else print -rn -- "$p expired"; fi
  else
    print -rn -- "$p"
  fi
}

() {
  emulate -L zsh
  [[ -o interactive ]] || return 0
  autoload -Uz add-zsh-hook
  # add-zsh-hook adds a function once: sourcing this file twice registers nothing twice.
  add-zsh-hook chpwd _bp_hook
  add-zsh-hook precmd _bp_hook
  # Exported so `bedrock-profile doctor` (a child) can tell the hook is active in this shell.
  export BEDROCK_PROFILE_HOOK=zsh
}
