# bash completion for forkmap. The commands and options come from the
# program's own --help (read once per shell and command), so completion
# cannot drift from what forkmap accepts.
_forkmap_help_words()
{
	# $1: "" for the command list, else a command name
	local key="_forkmap_cache_${1:-top}"
	if [[ -z ${!key-} ]]; then
		local text
		if [[ -z $1 ]]; then
			text=$(command forkmap --help 2>/dev/null |
				sed -n '/^commands:/,/^$/p' |
				awk 'NF >= 2 && $1 != "commands:" { print $1 }')
		else
			text=$(command forkmap "$1" --help 2>/dev/null |
				grep -oE '(^|[ ,])--?[a-zA-Z][a-zA-Z0-9-]*' |
				tr -d ' ,' | sort -u)
		fi
		printf -v "$key" '%s' "$text"
	fi
	printf '%s\n' "${!key}"
}

_forkmap()
{
	local cur prev cmd i
	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD - 1]}
	# the command: the first word that is not a global option or its value
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-C | --config) ((i++)) ;;
		-*) ;;
		*) cmd=${COMP_WORDS[i]}; break ;;
		esac
	done
	case $prev in
	--upstream | --mirror)
		# a forge prefix; OWNER/REPO or a URL follows
		COMPREPLY=($(compgen -W "github: gitlab: forgejo: https://" -- "$cur"))
		compopt -o nospace 2>/dev/null
		return
		;;
	-C | --db | --config | --csv | --json | -o | --output)
		if [[ $prev == -C ]]; then
			COMPREPLY=($(compgen -d -- "$cur"))
		else
			COMPREPLY=($(compgen -f -- "$cur"))
		fi
		return
		;;
	esac
	if [[ -z $cmd ]]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "-C --config --help --version -V" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$(_forkmap_help_words)" -- "$cur"))
		fi
	elif [[ $cmd == help ]]; then
		COMPREPLY=($(compgen -W "$(_forkmap_help_words)" -- "$cur"))
	elif [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_forkmap_help_words "$cmd")" -- "$cur"))
	fi
}
complete -o default -F _forkmap forkmap
