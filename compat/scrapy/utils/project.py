"""scrapy.utils.project: Scrapy's names, from ascrapy.utils.project."""

from ascrapy.utils.project import (
    DATADIR_CFG_SECTION,
    ENVVAR,
    data_path,
    find_projects,
    get_project_settings,
    inside_project,
    project_data_dir,
)
