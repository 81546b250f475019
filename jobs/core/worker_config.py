"""Settings module for `rq worker -c jobs.core.worker_config`: the worker logs like every other
process (LOG_FORMAT, LOG_LEVEL), job lines carrying the record key and job id."""
import config
import logconfig

DICT_CONFIG = logconfig.dict_config(config.from_env())
