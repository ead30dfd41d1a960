"""scrapy.utils._remote_control: Scrapy's names, from ascrapy.utils._remote_control."""

from ascrapy.utils._remote_control import (
    ExecuteResult,
    JOB_FILE_VERSION,
    StatusResult,
    job_files_dir,
    new_job_file_name,
    write_job_file,
)
