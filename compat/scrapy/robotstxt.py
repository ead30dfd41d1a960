"""scrapy.robotstxt: Scrapy's names, from ascrapy.robotstxt."""

from ascrapy.robotstxt import (
    ProtegoRobotParser,
    PythonRobotParser,
    RerpRobotParser,
    RobotParser,
    decode_robotstxt,
)
