"""scrapy.signalmanager: Scrapy's names, from ascrapy.signalmanager."""

from ascrapy.signalmanager import SignalManager
