"""The words of an API description: which verbs create, act or update, and how a path segment
or an operationId spells them (``createPet``, ``Pets_Create``, ``/AddActor``, ``category.add.json``).

Vocabulary only: ``classify.py`` turns what these find into weighed signals.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import islice

from oas_create_check.model import Kind

#: Words that end in "s" but name one thing: a ``GET`` returning ``AccountSettings`` is no list.
NOT_PLURAL = frozenset(
    "settings details stats statistics analytics preferences news series status address "
    "access business process progress summary metadata credentials".split()
)


CREATE_VERBS = frozenset(
    """
    create add new insert register open issue make provision upload import
    enroll subscribe book reserve allocate clone copy duplicate fork spawn submit build
    initiate launch deploy start_new queue enqueue
    """.split()
)


ACTION_VERBS = frozenset(
    """
    search query list get find fetch retrieve read lookup look validate verify check test
    login logout signin signout sign authenticate auth authorize cancel approve reject
    decline accept send resend notify run execute trigger start stop restart reboot resume
    pause suspend enable disable activate deactivate calculate compute estimate preview
    simulate convert transform export download sync synchronize refresh reset revoke
    confirm complete close capture refund reverse void process apply assign unassign attach
    detach move merge lock unlock publish unpublish archive unarchive restore retry rotate
    renew reindex resize scale upgrade downgrade migrate redeem release promote purge flush
    clear count batch bulk evaluate analyze analyse classify recycle invoke reveal reassign hangup refer compact
    rollback moderate predict infer toggle
    embed transcribe translate tokenize exchange introspect ping echo power
    shutdown rebuild reinstall snapshot finalize abort terminate dismiss acknowledge ack
    mark report share unshare invite respond reply answer vote rate follow unfollow join
    leave pay charge authorise transfer invalidate evict snooze tag untag checkout checkin
    aggregate install uninstall unsubscribe delete remove unsuspend prune recalculate recompute
    annotate lemmatize parse detect extract summarize filter match score generate describe
    resolve reopen trash untrash mute unmute hide unhide pin unpin block unblock reorder revert undo
    """.split()
)


UPDATE_VERBS = frozenset(
    """
    update modify edit patch set change replace rename configure amend adjust save
    overwrite
    """.split()
)


#: Action verbs that are about reading, checking or computing: they outweigh even a 201.
STRONG_ACTION_VERBS = frozenset(
    """
    search query list get find fetch retrieve read lookup look validate verify check test
    login logout signin signout authenticate auth authorize cancel calculate compute estimate
    preview simulate count evaluate export convert transform invalidate evict aggregate filter
    recalculate describe
    """.split()
)


#: Last path segments that name an action no declared status can turn into a creation.
NON_CREATING_SEGMENTS = frozenset(
    """
    verify validate validation validator token login logout signin sign-in signout authenticate
    auth authorize search query check ping test preview estimate calculate lookup introspect
    refresh revoke aggs aggregate aggregations count invalidate
    """.split()
)


#: Nouns for what a computation hands back rather than a resource kept on the server: a POST to
#: ``/embeddings`` or ``/audio/transcriptions`` computes, whatever its operationId says.
COMPUTED_NOUNS = frozenset(
    """
    completions completion embeddings embedding moderations speech transcriptions transcription
    translations generations variations edits predictions prediction inferences inference
    classifications tokens token secrets client_secrets presigned_urls signatures suggestions
    recommendations
    """.split()
)


#: Last path segments that are themselves a creation (``POST /things/create``).
CREATE_SEGMENTS = frozenset(
    "create new add insert register upload uploads import submit copy clone duplicate".split()
)


#: Creation segments that make a new resource even right after an item: a copy is new.
COPY_SEGMENTS = frozenset("copy clone duplicate".split())


#: Verbs that make a verb-phrase segment a creation (``/AddActor``, ``/create-thing``).
SEGMENT_CREATE_VERBS = frozenset("create add new insert register upload".split())


#: Verbs that say "create" and nothing else: the client may even name the new resource's URI.
EXPLICIT_CREATE_VERBS = frozenset("create insert register provision".split())


#: Creation verbs that make a PUT an upsert; others ("add a shared link") update the target.
PUT_CREATE_VERBS = frozenset("create new register provision insert".split())


#: Action verbs that, said of a PUT, name the state the PUT puts in place (a vote, a follow, an
#: assignment), not an action on something that exists. Action verbs only: no other kind gets
#: ``word-action`` (``subscribe`` creates, and a creation verb other than PUT_CREATE_VERBS says
#: nothing of a PUT).
PUT_STATE_VERBS = frozenset("vote follow enable assign apply tag".split())


#: Verbs that, as the last path segment, make the POST an action (``/orders/{id}/cancel``).
PATH_ACTION_SEGMENTS = ACTION_VERBS - {"list", "get", "batch", "bulk", "report", "snapshot"}


#: Verbs that are nouns too: first in a segment ending in a plural they start a noun phrase
#: (``transferLimits``, ``sign_requests``, ``upload_sessions``), not a command.
NOUN_LIKE_VERBS = frozenset(
    """
    transfer sign upload checkout report export import search return charge refund review
    request order share vote rate reply answer invite move merge snapshot batch bulk process
    release test check build launch lock tag mark rollback sync copy clone book issue open pin
    block
    """.split()
)


#: Verbs that are nouns first when a segment is nothing but them: ``POST /print/queue`` adds to
#: the queue, ``/Save`` often creates or updates (right after an item they command it:
#: ``/invoices/{id}/issue``, which classify.py tells by the parent segment).
BARE_SEGMENT_NOUNS = frozenset("queue book issue build save".split())


#: The names of HTTP methods: in ``Groups_Put`` or ``post_files_id`` they name the route.
METHOD_WORDS = frozenset({"get", "post", "put", "patch", "delete", "head", "options"})


#: Method names that are no verb of an operation's words (``Groups_Put``); "get" and "delete"
#: are: ``DeleteDatasetImportJob`` deletes, it imports nothing.
ROUTE_METHOD_WORDS = METHOD_WORDS - {"get", "delete"}


ALL_VERBS = CREATE_VERBS | ACTION_VERBS | UPDATE_VERBS


#: "Create or update" and the like, from the start of a word (also of a camelCase one):
#: "recreate or update" is none.
_UPSERT = re.compile(
    r"(?:(?<![a-z])|(?-i:(?<=[a-z])(?=[A-Z])))"
    r"(?:creates?[\s_-]*or[\s_-]*(updates?|replaces?)|upsert|adds?[\s_-]*or[\s_-]*(updates?|replaces?)|"
    r"put[\s_-]*or[\s_-]*replace|set[\s_-]*or[\s_-]*create|creates?[\s_-]*or[\s_-]*modify|"
    r"updates?[\s_-]*or[\s_-]*(adds?|creates?|inserts?)|inserts?[\s_-]*or[\s_-]*updates?)",
    re.IGNORECASE,
)


_SET_UP = re.compile(r"^\s*set[\s_-]?up\b", re.IGNORECASE)


#: "Create a new key", "Adds a new joke": the words insist that something new comes to be.
A_NEW = re.compile(r"^\W*(?:\w+\W+){0,2}(?:a|an)\s+new\b", re.IGNORECASE)


_WORD_SPLIT = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")


_EXTENSION = re.compile(r"\.(json|xml|php|aspx?)$", re.IGNORECASE)


_TEMPLATE_SUFFIX = re.compile(r"\.\{[^}]*\}$")


def adds_to(text: str) -> bool:
    """Whether the words add something to what exists ("Add a user to an account",
    ``addWordsToWordList``, ``AddUserToGroup``, ``add_video_to_album``): "to" within the four
    words after the verb, in any naming style."""
    told = words(text, 6)
    return bool(told) and stem_of(told[0]) == "add" and "to" in told[1:5]


#: Words that say how many things a verb acts on, not what it does: ``batchCreate`` creates.
BATCH_WORDS = frozenset({"batch", "bulk"})


def without_batch(tokens: list[str]) -> list[str]:
    """``batch create contacts`` -> ``create contacts``; a lone ``batch`` (a noun or the verb
    itself) stays."""
    if len(tokens) > 1 and tokens[0] in BATCH_WORDS and stem_of(tokens[1]) in ALL_VERBS:
        return tokens[1:]
    return tokens


def words(text: str, limit: int | None = None) -> list[str]:
    """Split ``createOrUpdateThing``, ``create_thing`` or ``Create a thing`` into lower words;
    the first ``limit`` of them only (a summary may be a long paragraph)."""
    return [m.group().lower() for m in islice(_WORD_SPLIT.finditer(text), limit)]


def stem_of(word: str, particle: str = "") -> str:
    """'creates' -> 'create', 'adds' -> 'add', 'searches' -> 'search', 'creating' -> 'create';
    with a ``particle``, the phrasal verb spelled apart: 'logs' 'in' -> 'login', 'signing'
    'out' -> 'signout' (else the word and the particle run together, no verb)."""
    if word + particle in ALL_VERBS:
        return word + particle
    for suffix, replacement in (
        ("es", ""),
        ("s", ""),
        ("ing", "e"),
        ("ing", ""),
        ("ed", "e"),
        ("ed", ""),
    ):
        if word.endswith(suffix) and word[: -len(suffix)] + replacement + particle in ALL_VERBS:
            return word[: -len(suffix)] + replacement + particle
    return word + particle


def verb_kind(text: str) -> tuple[Kind, str] | None:
    """The kind named by the first known verb of ``text`` (among its first four words) and that
    verb. HTTP method names are not verbs here (``Groups_Put``), except "delete": a POST named
    ``DeleteDatasetImportJob`` deletes, it imports nothing."""
    upsert = _UPSERT.search(text)
    if upsert and (" " not in text.strip() or len(words(text[: upsert.start()])) < 4):
        # in prose, among the leading words as a verb is: "... with upsert semantics" later in
        # a description names a detail, not the operation
        return Kind.UPSERT, upsert.group(0)
    setup = _SET_UP.search(text)
    if setup:
        return Kind.CREATE, setup.group(0).lower()
    tokens = words(text, 5)
    for i, token in enumerate(tokens[:4]):
        if token in ROUTE_METHOD_WORDS or without_batch(tokens[i:]) != tokens[i:]:
            continue
        found = stem_of(token)
        if i + 1 < len(tokens) and stem_of(token, tokens[i + 1]) in ALL_VERBS:
            # a phrasal verb spelled apart: ``logIn``, "Logs in a customer", ``signOut``
            found = stem_of(token, tokens[i + 1])
        if found in CREATE_VERBS:
            return Kind.CREATE, found
        if found in UPDATE_VERBS:
            return Kind.UPDATE, found
        if found in ACTION_VERBS:
            return Kind.ACTION, found
    return None


#: What turns a verb into a noun (``references``, ``payments``, ``installations``, ``payouts``):
#: such a word is one noun, not a run-together verb and object.
_NOUN_ENDING = re.compile(r"(?:[ae]nces?|[ae]?ments?|[ai]?tions?|ions?|outs?)")


#: Endings that make one word of a verb (``runners``, ``tagging``, ``payables``,
#: ``authorizations``, ``authentication``, ``matchingworkflows``, ``undocumented``), where they start: after the
#: verb, its doubled last consonant or its dropped "e". An "-er" ends the word (``cancelorder``
#: is a verb and its object); a participle's "-ed" too, and not as in ``feed``.
_DERIVED_ENDING = re.compile(r"ings?|ables?|ations?|ions?|ers?$|(?<!e)ed$")


def _derived(verb: str, rest: str) -> bool:
    """Whether a word that starts with ``verb`` goes on as one word made from a verb rather
    than as the verb and its object: a derivational ending right after a verb (``findings``,
    ``payables``), its doubled consonant (``runners``, ``tagging``) or its stem without "e"
    (``authorizations``: ``authorize``, longer than the ``auth`` it starts with); a participle
    (``undocumented``); or a noun that merely begins with a verb (``addresses``). Anything else
    is the verb and its object, whatever the object starts with (``createentity``,
    ``startinstance``, ``sendemail``)."""
    whole = verb + rest
    if whole in ALL_VERBS or whole in NOT_PLURAL or whole.removesuffix("es") in NOT_PLURAL:
        return True  # ``authorize`` is no ``auth`` and its object
    for start in range(len(verb) - 1, len(whole)):
        match = _DERIVED_ENDING.match(whole, start)
        stem = whole[:start]
        if match is None:
            continue
        if match.group().startswith("ed") or (
            stem in ALL_VERBS
            or stem + "e" in ALL_VERBS
            or (stem[-1:] == stem[-2:-1] and stem[:-1] in ALL_VERBS)
        ):
            return True
    return False


@lru_cache(maxsize=4096)
def segment_words(segment: str) -> tuple[str, ...]:
    """``category.add.json`` -> category, add; ``AddActor`` -> add, actor; ``createmaintenancejob``
    -> create, maintenancejob (a run-together verb); ``runners`` and ``authorizations`` stay one
    word."""
    bare = _TEMPLATE_SUFFIX.sub("", _EXTENSION.sub("", segment))
    found = without_batch(words(bare))
    if len(found) == 1 and bare.islower():
        # longest first, and in a fixed order: the verb found must not depend on set iteration
        for verb in sorted(SEGMENT_CREATE_VERBS | PATH_ACTION_SEGMENTS, key=lambda v: (-len(v), v)):
            rest = found[0][len(verb) :]
            if (
                found[0].startswith(verb)
                and len(rest) > 3
                and not _NOUN_ENDING.fullmatch(rest)
                and not _derived(verb, rest)
            ):
                return (verb, rest)
    return tuple(found)


def segment_is_verb(segment: str) -> bool:
    """``cancel``, ``reset-password``, ``generateApiKey``, ``async-invoke``: an RPC segment. A
    plural noun phrase is not (``evaluation_test_cases``), nor a participle (``reserved_ips``)."""
    lowered = segment.lower()
    if lowered in PATH_ACTION_SEGMENTS or lowered in NON_CREATING_SEGMENTS:
        return True
    parts = segment_words(segment)
    if not parts:
        return False
    if len(parts) == 1:
        # ``/modify``, ``/rename`` update, ``/enqueue`` creates; ``/queue`` is a noun
        verbs = PATH_ACTION_SEGMENTS | UPDATE_VERBS | (CREATE_VERBS - CREATE_SEGMENTS)
        return parts[0] in verbs - BARE_SEGMENT_NOUNS and not segment.isupper()
    if parts[0] in ALL_VERBS - {"new"}:
        # ``transferLimits``, ``sign_requests``, ``PayItems``: a noun phrase that starts with a
        # word that is a noun as well as a verb, or a capitalised collection name;
        # ``terminate_sessions`` is a command
        noun_phrase = parts[0] in NOUN_LIKE_VERBS or segment[:1].isupper()
        return not (noun_phrase and plural(parts[-1]))
    if "." in segment:  # RPC method names: ``case_rest_services.get_map``, ``category.add``
        return any(p in ACTION_VERBS for p in parts[-2:])
    return parts[-1] in PATH_ACTION_SEGMENTS | NON_CREATING_SEGMENTS and not parts[-1].endswith("s")


def plural(word: str) -> bool:
    return word.endswith("s") and not word.endswith("ss") and word not in NOT_PLURAL


_ES_PLURAL = re.compile(r"(?:ch|sh|ss|x|z)es$")


def singular(word: str) -> str:
    """``matches`` -> match, ``queries`` -> query, ``filters`` -> filter; a word that is no
    plural (``status``, ``address``) as it is."""
    if not plural(word):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    return word[:-2] if _ES_PLURAL.search(word) else word[:-1]


def creates_by_name(segment: str) -> bool:
    """``/things/create``, ``/AddActor``, ``/category.add.json``, ``/upload``; not a verb phrase
    whose object is plural (``addApplePayDomains``, ``add_restrictions``: adds to something)."""
    parts = segment_words(segment)
    if segment.lower() in CREATE_SEGMENTS or (len(parts) == 1 and parts[0] in CREATE_SEGMENTS):
        return True  # ``/create``, ``/batchCreate``
    if len(parts) >= 2 and parts[0] in EXPLICIT_CREATE_VERBS:
        return True  # ``createInstances``: whatever the number, they are new
    if len(parts) >= 2 and parts[0] in SEGMENT_CREATE_VERBS:
        return not plural(parts[-1])
    return "." in segment and len(parts) >= 2 and parts[-1] in CREATE_SEGMENTS
