"""The guard's data: functions known to be safe in a read-only query, and functions that never are.

Kept apart from the logic (tools/guard/readonly.py) so that reviewing or extending the lists never means
reading code. A function is "safe" when calling it inside a read-only transaction that is rolled back
leaves no trace: no write, no lock or setting that outlives the transaction, no signal to another
backend, no file, no network connection and no dynamic SQL. Names are the unqualified, lowercase
PostgreSQL names; a call qualified with `pg_catalog.` is checked against the same set.

Anything not listed is rejected, so a missing name costs a legitimate user one entry in
`safe_functions` (Config), while a wrong name here could let a query change the database.
"""

from __future__ import annotations

__all__ = [
    "ALWAYS_DENIED",
    "ALWAYS_DENIED_PREFIXES",
    "PUBLIC_EXTENSION_FUNCTIONS",
    "SAFE_FUNCTIONS",
    "SAFE_PREFIXES",
    "SAFE_SCHEMAS",
    "TABLESAMPLE_METHODS",
]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_AGGREGATES = _words("""
    count sum avg min max array_agg string_agg json_agg jsonb_agg json_agg_strict jsonb_agg_strict
    json_object_agg jsonb_object_agg json_object_agg_strict jsonb_object_agg_strict
    json_object_agg_unique jsonb_object_agg_unique json_object_agg_unique_strict
    jsonb_object_agg_unique_strict bool_and bool_or every bit_and bit_or bit_xor
    stddev stddev_pop stddev_samp variance var_pop var_samp corr covar_pop covar_samp
    regr_avgx regr_avgy regr_count regr_intercept regr_r2 regr_slope regr_sxx regr_sxy regr_syy
    percentile_cont percentile_disc mode xmlagg range_agg range_intersect_agg any_value
""")

_WINDOW = _words("""
    row_number rank dense_rank percent_rank cume_dist ntile lag lead first_value last_value nth_value
""")

_MATH = _words("""
    abs cbrt ceil ceiling degrees div exp factorial floor gcd lcm ln log log10 min_scale mod pi power pow
    radians round scale sign sqrt trim_scale trunc width_bucket random random_normal
    acos acosd asin asind atan atand atan2 atan2d cos cosd cot cotd sin sind tan tand
    sinh cosh tanh asinh acosh atanh erf erfc gamma lgamma numeric_inc
""")

_STRING = _words("""
    ascii bit_length btrim char_length character_length chr concat concat_ws convert convert_from
    convert_to decode encode format initcap left length lower lpad ltrim md5 normalize is_normalized
    octet_length overlay parse_ident position quote_ident quote_literal quote_nullable
    regexp_count regexp_instr regexp_like regexp_match regexp_matches regexp_replace
    regexp_split_to_array regexp_split_to_table regexp_substr repeat replace reverse right rpad rtrim
    split_part starts_with string_to_array string_to_table strpos substr substring to_ascii to_hex
    to_bin to_oct translate unistr upper casefold sha224 sha256 sha384 sha512 crc32 crc32c
    unicode_assigned unicode_version get_bit get_byte set_bit set_byte bit_count text textlen
    similar_to_escape similar_escape like_escape texticlike textlike pg_client_encoding
    to_char to_date to_number to_timestamp gen_random_uuid uuidv4 uuidv7 uuid_extract_timestamp
    uuid_extract_version
""")

_DATETIME = _words("""
    age clock_timestamp date_add date_bin date_part date_subtract date_trunc extract isfinite
    justify_days justify_hours justify_interval make_date make_interval make_time make_timestamp
    make_timestamptz now statement_timestamp timeofday transaction_timestamp timezone overlaps
""")

_JSON = _words("""
    to_json to_jsonb array_to_json row_to_json json_build_array json_build_object json_object
    jsonb_build_array jsonb_build_object jsonb_object
    json_array_elements json_array_elements_text json_array_length json_each json_each_text
    json_extract_path json_extract_path_text json_object_keys json_populate_record
    json_populate_recordset json_to_record json_to_recordset json_strip_nulls json_typeof
    jsonb_array_elements jsonb_array_elements_text jsonb_array_length jsonb_each jsonb_each_text
    jsonb_extract_path jsonb_extract_path_text jsonb_object_keys jsonb_populate_record
    jsonb_populate_record_valid jsonb_populate_recordset jsonb_to_record jsonb_to_recordset
    jsonb_strip_nulls jsonb_typeof jsonb_insert jsonb_set jsonb_set_lax jsonb_delete_path jsonb_pretty
    jsonb_path_exists jsonb_path_match jsonb_path_query jsonb_path_query_array jsonb_path_query_first
    jsonb_path_exists_tz jsonb_path_match_tz jsonb_path_query_tz jsonb_path_query_array_tz
    jsonb_path_query_first_tz jsonb_concat jsonb_contains jsonb_contained jsonb_exists
    jsonb_exists_any jsonb_exists_all jsonb_delete jsonb_to_tsvector json_to_tsvector
""")

_ARRAY_RANGE = _words("""
    array_append array_cat array_dims array_fill array_length array_lower array_ndims array_position
    array_positions array_prepend array_remove array_replace array_reverse array_sample array_shuffle
    array_sort array_to_string array_upper cardinality trim_array unnest generate_subscripts
    generate_series lower_inc upper_inc lower_inf upper_inf isempty range_merge multirange
    int4range int8range numrange tsrange tstzrange daterange int4multirange int8multirange
    nummultirange tsmultirange tstzmultirange datemultirange num_nulls num_nonnulls
""")

_TEXT_SEARCH = _words("""
    to_tsvector to_tsquery plainto_tsquery phraseto_tsquery websearch_to_tsquery ts_rank ts_rank_cd
    ts_headline setweight strip numnode querytree ts_lexize ts_debug ts_parse ts_token_type
    array_to_tsvector tsvector_to_array ts_delete ts_filter get_current_ts_config tsquery_phrase
""")

_NETWORK_GEOMETRY = _words("""
    abbrev broadcast family host hostmask inet_merge inet_same_family masklen netmask network
    set_masklen macaddr8_set7bit area center diameter height isclosed isopen npoints pclose popen
    radius width box circle line lseg path point polygon bound_box diagonal slope
""")

_CASTS = _words("""
    int2 int4 int8 float4 float8 numeric bool date time timetz timestamp timestamptz interval varchar
    bpchar name oid inet cidr macaddr uuid bytea json jsonb xml
    regclass regtype regproc regprocedure regnamespace regrole regoper regoperator regcollation
    to_regclass to_regtype to_regtypemod to_regproc to_regprocedure to_regnamespace to_regrole
    to_regoper to_regoperator to_regcollation pg_input_is_valid pg_input_error_info
""")

_XML = _words("""
    xpath xpath_exists xml_is_well_formed xml_is_well_formed_document xml_is_well_formed_content
    xmlcomment xmltext
""")

# Session and server information: reads only.
_INFO = _words("""
    current_database current_schema current_schemas current_user session_user current_role user
    current_setting pg_settings_get_flags version pg_backend_pid pg_postmaster_start_time
    pg_conf_load_time inet_client_addr inet_client_port inet_server_addr inet_server_port
    pg_is_in_recovery pg_is_wal_replay_paused pg_get_wal_replay_pause_state pg_last_wal_receive_lsn
    pg_last_wal_replay_lsn pg_last_xact_replay_timestamp pg_current_wal_lsn pg_current_wal_insert_lsn
    pg_current_wal_flush_lsn pg_wal_lsn_diff pg_walfile_name pg_walfile_name_offset pg_split_walfile_name
    pg_jit_available pg_listening_channels pg_notification_queue_usage pg_blocking_pids
    pg_safe_snapshot_blocking_pids pg_trigger_depth pg_my_temp_schema pg_is_other_temp_schema
    pg_encoding_to_char pg_char_to_encoding pg_encoding_max_length pg_typeof pg_column_size
    pg_column_compression pg_column_toast_chunk_id pg_current_snapshot pg_snapshot_xmin pg_snapshot_xmax
    pg_snapshot_xip pg_visible_in_snapshot pg_current_xact_id_if_assigned txid_current_if_assigned
    txid_current_snapshot txid_snapshot_xmin txid_snapshot_xmax txid_snapshot_xip txid_visible_in_snapshot
    txid_status pg_xact_status pg_xact_commit_timestamp pg_xact_commit_timestamp_origin
    pg_last_committed_xact mxid_age currval lastval pg_sequence_last_value pg_sequence_parameters
    pg_control_checkpoint pg_control_system pg_control_init pg_control_recovery
    pg_get_backend_memory_contexts pg_get_shmem_allocations pg_get_wal_resource_managers
    pg_get_replication_slots pg_stat_statements pg_stat_statements_info pg_show_all_settings
    pg_show_all_file_settings pg_lock_status pg_prepared_xact pg_cursor pg_prepared_statement
    pg_available_extensions pg_available_extension_versions pg_timezone_names pg_timezone_abbrevs
    pg_tablespace_databases pg_tablespace_location pg_get_keywords pg_get_catalog_foreign_keys
    pg_partition_tree pg_partition_root pg_partition_ancestors pg_relation_is_updatable
    pg_column_is_updatable pg_hba_file_rules pg_ident_file_mappings pg_config
    pg_get_multixact_members pg_get_publication_tables pg_get_wait_events pg_get_loaded_modules
    pg_get_aios pg_get_shmem_allocations_numa pg_numa_available pg_wal_summary_contents
    pg_available_wal_summaries pg_get_wal_summarizer_state pg_get_sequence_data
""")

# Catalog functions: definitions, sizes, privileges, visibility, descriptions.
_CATALOG = _words("""
    pg_size_bytes pg_size_pretty pg_relation_size pg_total_relation_size pg_table_size pg_indexes_size
    pg_database_size pg_tablespace_size pg_relation_filenode pg_relation_filepath pg_filenode_relation
    pg_get_indexdef pg_get_constraintdef pg_get_viewdef pg_get_triggerdef pg_get_functiondef
    pg_get_function_arguments pg_get_function_identity_arguments pg_get_function_result
    pg_get_function_arg_default pg_get_function_sqlbody pg_get_expr pg_get_ruledef
    pg_get_serial_sequence pg_get_statisticsobjdef pg_get_statisticsobjdef_columns
    pg_get_statisticsobjdef_expressions pg_get_userbyid pg_get_partkeydef
    pg_get_partition_constraintdef pg_get_object_address pg_describe_object pg_identify_object
    pg_identify_object_as_address pg_index_column_has_property pg_index_has_property
    pg_indexam_has_property pg_options_to_table col_description obj_description shobj_description
    format_type has_any_column_privilege has_column_privilege has_database_privilege
    has_foreign_data_wrapper_privilege has_function_privilege has_language_privilege
    has_largeobject_privilege has_parameter_privilege has_schema_privilege has_sequence_privilege
    has_server_privilege has_table_privilege has_tablespace_privilege has_type_privilege pg_has_role
    row_security_active pg_table_is_visible pg_type_is_visible pg_function_is_visible
    pg_operator_is_visible pg_opclass_is_visible pg_opfamily_is_visible pg_collation_is_visible
    pg_conversion_is_visible pg_statistics_obj_is_visible pg_ts_config_is_visible
    pg_ts_dict_is_visible pg_ts_parser_is_visible pg_ts_template_is_visible
    acldefault aclexplode makeaclitem pg_get_acl array_to_string pg_basetype pg_char_to_encoding
    pg_collation_actual_version pg_database_collation_actual_version pg_mcv_list_items
""")

# pgvector (any schema the extension was installed in): distances, norms and conversions.
_PGVECTOR = _words("""
    l2_distance inner_product cosine_distance l1_distance vector_dims vector_norm l2_norm l2_normalize
    binary_quantize subvector hamming_distance jaccard_distance vector halfvec sparsevec
    vector_avg halfvec_avg vector_accum vector_combine
""")

SAFE_FUNCTIONS: frozenset[str] = (
    _AGGREGATES
    | _WINDOW
    | _MATH
    | _STRING
    | _DATETIME
    | _JSON
    | _ARRAY_RANGE
    | _TEXT_SEARCH
    | _NETWORK_GEOMETRY
    | _CASTS
    | _XML
    | _INFO
    | _CATALOG
    | _PGVECTOR
)

# Families of statistics readers (pg_stat_get_numscans, pg_stat_get_activity...): reads only.
# pg_stat_reset* does not match these prefixes.
SAFE_PREFIXES: tuple[str, ...] = ("pg_stat_get_",)

# A qualified call `pg_catalog.f` is checked like `f`. `public.f` is accepted only for extension functions
# that usually live there (pgvector): a built-in name qualified with a user schema names a user function.
# Any other schema needs an explicit allowance ("schema.f" in safe_functions).
SAFE_SCHEMAS: frozenset[str] = frozenset({"pg_catalog"})
PUBLIC_EXTENSION_FUNCTIONS: frozenset[str] = _PGVECTOR

# TABLESAMPLE methods are functions too; the tsm_system_* contrib methods only read.
TABLESAMPLE_METHODS: frozenset[str] = frozenset({"bernoulli", "system", "system_rows", "system_time"})

# Functions that act outside the transaction (signals, files, programs, other connections, locks that
# outlive a rollback, xids, dynamic SQL). Rejected even when configured as safe, and in write mode;
# the text says why, so the rejection teaches what the function does.
ALWAYS_DENIED: dict[str, str] = {
    "set_config": "changes a server setting",
    "nextval": "advances a sequence (not undone by a rollback)",
    "setval": "changes a sequence",
    "pg_sleep": "sleeps, holding a connection",
    "pg_sleep_for": "sleeps, holding a connection",
    "pg_sleep_until": "sleeps, holding a connection",
    "pg_terminate_backend": "terminates another session",
    "pg_cancel_backend": "cancels another session's query",
    "pg_reload_conf": "reloads the server configuration",
    "pg_rotate_logfile": "rotates the server log",
    "pg_promote": "promotes a standby",
    "pg_switch_wal": "forces a WAL switch",
    "pg_create_restore_point": "writes a WAL restore point",
    "pg_read_file": "reads a file on the database server",
    "pg_read_binary_file": "reads a file on the database server",
    "pg_ls_dir": "lists a directory on the database server",
    "pg_stat_file": "reads file metadata on the database server",
    "pg_file_write": "writes a file on the database server",
    "pg_notify": "sends a notification to other sessions",
    "txid_current": "assigns a transaction id",
    "pg_current_xact_id": "assigns a transaction id",
    "query_to_xml": "runs dynamic SQL",
    "query_to_xmlschema": "runs dynamic SQL",
    "query_to_xml_and_xmlschema": "runs dynamic SQL",
    "cursor_to_xml": "reads from a cursor",
    "cursor_to_xmlschema": "reads from a cursor",
    "table_to_xml": "runs dynamic SQL",
    "table_to_xml_and_xmlschema": "runs dynamic SQL",
    "schema_to_xml": "runs dynamic SQL",
    "schema_to_xml_and_xmlschema": "runs dynamic SQL",
    "database_to_xml": "runs dynamic SQL",
    "database_to_xml_and_xmlschema": "runs dynamic SQL",
    "ts_stat": "runs dynamic SQL",
    "ts_rewrite": "can run dynamic SQL",
    "setseed": "changes the session's random seed",
    "pg_export_snapshot": "exports a snapshot to other sessions",
    "pg_import_system_collations": "creates collations",
    "pg_log_backend_memory_contexts": "writes to the server log",
    "pg_stat_clear_snapshot": "changes session state",
    "pg_extension_config_dump": "changes an extension's configuration",
    "pg_backup_start": "starts a backup",
    "pg_backup_stop": "stops a backup",
    "pg_wal_replay_pause": "pauses WAL replay",
    "pg_wal_replay_resume": "resumes WAL replay",
    "hypopg_create_index": "creates a hypothetical index (use explain_query's hypothetical_indexes)",
    "hypopg_reset": "changes hypothetical indexes (use explain_query's hypothetical_indexes)",
    "hypopg_drop_index": "changes hypothetical indexes (use explain_query's hypothetical_indexes)",
    "hypopg_hide_index": "changes hypothetical indexes",
    "hypopg_unhide_index": "changes hypothetical indexes",
    "hypopg_unhide_all_indexes": "changes hypothetical indexes",
}

ALWAYS_DENIED_PREFIXES: dict[str, str] = {
    "pg_advisory_": "takes an advisory lock that can outlive the transaction",
    "pg_try_advisory_": "takes an advisory lock that can outlive the transaction",
    "lo_": "reads or writes large objects or server files",
    "dblink": "opens a connection to another database, outside the read-only transaction",
    "pg_logical_": "writes to or consumes logical replication",
    "pg_replication_": "changes replication state",
    "pg_create_": "creates a replication slot",
    "pg_drop_replication": "drops a replication slot",
    "pg_copy_": "copies a replication slot",
    "pg_stat_reset": "resets statistics",
    "pg_ls_": "lists a directory on the database server",
    "pg_file_": "touches a file on the database server",
}
