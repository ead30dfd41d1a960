"""scrapy.utils.conf: Scrapy's names, from ascrapy.utils.conf."""

from ascrapy.utils.conf import (
    arglist_to_dict,
    build_component_list,
    closest_scrapy_cfg,
    feed_complete_default_values_from_settings,
    feed_process_params_from_cli,
    get_config,
    get_sources,
    init_env,
)
