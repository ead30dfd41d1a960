"""scrapy.contracts: Scrapy's names, from ascrapy.contracts."""

from ascrapy.contracts import Contract, ContractsManager
