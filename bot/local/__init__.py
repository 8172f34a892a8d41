"""Local stand-ins for a laptop and the tests: the fake WeCom API, the sandbox chat page, the demo
district and the signed-callback client. Production never imports this package."""
