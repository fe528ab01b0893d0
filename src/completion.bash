# bash completion for guild(1)                             -*- shell-script -*-
#
# Installed as $datadir/bash-completion/completions/guild, and printed by
# "guild completion". It knows no command, option or operation name: it
# asks guild through the hidden helper modes of "guild completion"
# (--commands, --options, --args, --ops, --flags, --runs), so it cannot
# go stale. See guild-completion(1).

# _guild_words: words and cword from COMP_WORDS, with the words that bash
# split at COMP_WORDBREAKS joined again ("fashion:train", "lr=0.1"): a
# word not preceded by blanks in COMP_LINE belongs to the one before.
_guild_words()
{
	local line=${COMP_LINE-} i j=-1 w sp

	[[ -n ${COMP_POINT-} ]] && line=${line:0:COMP_POINT}
	words=()
	cword=0
	for ((i = 0; i < ${#COMP_WORDS[@]}; i++)); do
		w=${COMP_WORDS[i]}
		sp=${line%%[![:space:]]*}
		line=${line#"$sp"}
		if ((j >= 0)) && [[ -z $sp && -n ${COMP_LINE-} ]]; then
			words[j]+=$w
		else
			words[++j]=$w
		fi
		line=${line#"$w"}
		if ((i == COMP_CWORD)); then
			cword=$j
			return
		fi
	done
	cword=$j
	words[++cword]=
}

# _guild_path WORD: WORD as a path (quotes and a leading ~ undone) in REPLY.
_guild_path()
{
	REPLY=$1
	case $REPLY in
	\'*\' | \"*\") REPLY=${REPLY:1:${#REPLY}-2} ;;
	esac
	case $REPLY in
	\~) REPLY=$HOME ;;
	\~/*) REPLY=$HOME/${REPLY:2} ;;
	esac
}

# _guild_call ARG...: guild's completion helper, with the global options
# given before the command (-C DIR changes the project, -H the home).
_guild_call()
{
	"$_guild_prog" "${_guild_global[@]}" completion "$@" 2>/dev/null
}

# _guild_options [COMMAND [SUBCOMMAND]]: the options of a command (none:
# the global options): names in opts, name -> what its value is in
# optkind ("" for a switch).
_guild_options()
{
	local name kind

	opts=()
	optkind=()
	while read -r name kind; do
		[[ -n $name ]] || continue
		opts+=("$name")
		optkind[$name]=$kind
	done < <(_guild_call --options "$@")
}

# _guild_match WORD...: the words that start with cur, into COMPREPLY.
_guild_match()
{
	local w

	for w; do
		[[ $w == "$cur"* ]] && COMPREPLY+=("$w")
	done
}

# _guild_complete KIND: complete cur as KIND (from --options or --args).
_guild_complete()
{
	local -a c
	local f given=" " w

	case $1 in
	op)
		mapfile -t c < <(_guild_call --ops)
		_guild_match "${c[@]}"
		;;
	flag)
		if [[ $cur == @* ]]; then
			# @BATCH_FILE
			compopt -o filenames 2>/dev/null
			mapfile -t c < <(compgen -f -- "${cur#@}")
			COMPREPLY=("${c[@]/#/@}")
			return
		fi
		for w in "${pos[@]}"; do
			[[ $w == *=* ]] && given+="${w%%=*} "
		done
		mapfile -t c < <(_guild_call --flags "$op")
		# NAME= until a name is typed, then its choices.
		for f in "${c[@]}"; do
			[[ $f == "$cur"* ]] || continue
			if [[ $cur == *=* ]]; then
				[[ $f == *= ]] && continue
			else
				[[ $f == *= && $given != *" ${f%=} "* ]] || continue
			fi
			COMPREPLY+=("$f")
		done
		[[ $cur == *=* ]] || compopt -o nospace 2>/dev/null
		;;
	run | deleted-run)
		if [[ $1 == run ]]; then
			mapfile -t COMPREPLY < <(_guild_call --runs -- "$cur")
		else
			mapfile -t COMPREPLY < <(_guild_call --runs --deleted -- "$cur")
		fi
		# Newest first, as guild runs lists them.
		compopt -o nosort 2>/dev/null
		;;
	file)
		compopt -o filenames 2>/dev/null
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		;;
	dir)
		compopt -o filenames 2>/dev/null
		mapfile -t COMPREPLY < <(compgen -d -- "$cur")
		;;
	esac
}

_guild()
{
	local -a words opts=() cmds=() subs=() path=() pos=() slots=()
	local -a _guild_global=()
	local -A optkind=()
	local cword cur _guild_prog i w c si kind='' only_pos='' found='' op=''

	_guild_words
	cur=${words[cword]}
	COMPREPLY=()
	_guild_path "${words[0]}"
	_guild_prog=$REPLY

	# Global options, up to the command; those with values are passed on.
	i=1
	if [[ ${words[1]-} == -* ]]; then
		_guild_options
		while ((i < cword)) && [[ ${words[i]} == -?* ]]; do
			w=${words[i]}
			if [[ $w != *=* && -n ${optkind[$w]-} ]]; then
				if ((i + 1 == cword)); then
					kind=${optkind[$w]}
					break
				fi
				_guild_path "${words[i+1]}"
				_guild_global+=("$w" "$REPLY")
				((i += 2))
			else
				((i++))
			fi
		done
	fi
	if [[ -n $kind ]]; then
		_guild_complete "$kind"
		_guild_trim
		return 0
	fi
	if ((i == cword)); then
		if [[ $cur == -* ]]; then
			_guild_match "${opts[@]}"
		else
			while read -r c w; do
				[[ -z $w ]] && _guild_match "$c"
			done < <(_guild_call --commands)
		fi
		return 0
	fi

	# The command, and for a group its subcommands.
	w=${words[i++]}
	mapfile -t cmds < <(_guild_call --commands)
	for c in "${cmds[@]}"; do
		[[ $c == "$w" ]] && found=1
		[[ $c == "$w "* ]] && subs+=("${c#"$w "}")
	done
	[[ -n $found ]] || return 0
	path=("$w")
	_guild_options "${path[@]}"

	# Its options and arguments, up to the word being completed.
	while ((i < cword)); do
		w=${words[i++]}
		if [[ -z $only_pos && $w == -- ]]; then
			only_pos=1
		elif [[ -z $only_pos && $w == -?* ]]; then
			if [[ $w != *=* && -n ${optkind[$w]-} ]]; then
				if ((i == cword)); then
					kind=${optkind[$w]}
					break
				fi
				((i++))
			fi
		elif ((${#subs[@]} && ${#path[@]} == 1 && ${#pos[@]} == 0)) &&
		    [[ " ${subs[*]} " == *" $w "* ]]; then
			path+=("$w")
			_guild_options "${path[@]}"
		else
			pos+=("$w")
		fi
	done

	if [[ -n $kind ]]; then
		_guild_complete "$kind"
	elif [[ -z $only_pos && $cur == -* ]]; then
		_guild_match "${opts[@]}"
	elif ((${#subs[@]} && ${#path[@]} == 1 && ${#pos[@]} == 0)); then
		_guild_match "${subs[@]}"
	else
		# Which argument slot each word fills ("op", "flag...": the
		# last may repeat). A flag assignment where the operation
		# goes means the default operation.
		mapfile -t slots < <(_guild_call --args "${path[@]}")
		si=0
		for w in "${pos[@]}" "$cur"; do
			kind=
			if ((si < ${#slots[@]})); then
				kind=${slots[si]}
			fi
			if [[ $kind == op* && $w == *=* ]]; then
				((si++))
				kind=${slots[si]-}
			fi
			[[ $kind == op* ]] && op=$w
			[[ $kind == *... ]] || ((si++))
		done
		[[ -n $kind ]] && _guild_complete "${kind%...}"
	fi
	_guild_trim
	return 0
}

# _guild_trim: bash replaces only the text after the last character of
# COMP_WORDBREAKS in the word (":" of "fashion:train", "=" of "lr=0.1",
# "@" of "@trials.csv"), so drop what comes before it from the candidates.
_guild_trim()
{
	local i c

	for ((i = ${#cur} - 1; i >= 0; i--)); do
		c=${cur:i:1}
		if [[ $c != [\'\"] && ${COMP_WORDBREAKS-} == *"$c"* ]]; then
			COMPREPLY=("${COMPREPLY[@]#"${cur:0:i+1}"}")
			return
		fi
	done
}

complete -F _guild guild
