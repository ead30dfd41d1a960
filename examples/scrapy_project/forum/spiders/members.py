import scrapy

from forum.loaders import MemberLoader


class MembersSpider(scrapy.Spider):
    """The member directory: logs in from ``async def start()``, then follows the pages."""

    name = "members"
    base_url = "http://127.0.0.1:8000"  # -a base_url=... replaces it

    async def start(self):
        yield scrapy.Request(f"{self.base_url.rstrip('/')}/login", callback=self.login)

    def login(self, response):
        yield scrapy.FormRequest.from_response(
            response,
            formid="login",
            formdata={
                "username": self.settings["FORUM_USERNAME"],
                "password": self.settings["FORUM_PASSWORD"],
            },
            callback=self.after_login,
        )

    def after_login(self, response):
        yield from response.follow_all(css="p.account a.members", callback=self.parse_directory)

    def parse_directory(self, response):
        yield from response.follow_all(css="ul.members a.profile", callback=self.parse_member)
        yield from response.follow_all(css="ul.pager li.next a", callback=self.parse_directory)

    def parse_member(self, response):
        loader = MemberLoader(selector=response.css("div.profile"))
        loader.add_css("username", "dd.username::text")
        loader.add_css("name", "h1.display-name::text")
        loader.add_css("role", "dd.role::text")
        loader.add_css("joined", "dd.joined time::attr(datetime)")
        loader.add_css("posts", "dd.posts::text")
        loader.add_css("location", "dd.location::text")
        yield loader.load_item()
