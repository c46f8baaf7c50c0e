import pytest

from lib.intake.links import absolute_url, links_in


@pytest.mark.parametrize(
    ("text", "site", "expected"),
    [
        ("linkedin.com/in/ayse-yilmaz", "linkedin", "https://linkedin.com/in/ayse-yilmaz"),
        ("www.linkedin.com/in/ayşe/", "linkedin", "https://www.linkedin.com/in/ayşe/"),
        ("tr.linkedin.com/in/x", "linkedin", "https://tr.linkedin.com/in/x"),
        ("github.com/octocat", "github", "https://github.com/octocat"),
        ("www.github.com/octocat", "github", "https://www.github.com/octocat"),
        ("WWW.GitHub.com/OctoCat", "github", "https://www.github.com/OctoCat"),
        ("http://github.com/x", "github", "https://github.com/x"),
        ("https://github.com/x", "github", "https://github.com/x"),
        ("<https://github.com/x>", "github", "https://github.com/x"),
        ("@octocat", "github", "https://github.com/octocat"),
        ("octocat", "github", "https://github.com/octocat"),
        ("@jane-doe-42", "linkedin", "https://www.linkedin.com/in/jane-doe-42"),
        ("octocat.github.io", None, "https://octocat.github.io"),
        ("jane.dev/blog", None, "https://jane.dev/blog"),
        ("github: octocat", "github", "https://github.com/octocat"),  # the site's name written first
        ("GitHub:octocat", "github", "https://github.com/octocat"),
        ("LinkedIn: linkedin.com/in/jane", "linkedin", "https://linkedin.com/in/jane"),
    ],
)
def test_link_like_answers_become_absolute_https_links(text, site, expected):
    assert absolute_url(text, site=site) == expected


@pytest.mark.parametrize(
    ("text", "site"),
    [
        ("N/A", "github"),
        ("none", "github"),
        ("yok", "linkedin"),
        ("-", "linkedin"),
        ("I don't have one yet", "linkedin"),
        ("jane", "linkedin"),  # a bare word is a handle only on GitHub
        ("john.doe", None),
        ("ayse@example.com", "linkedin"),
        ("javascript:alert(1)", None),
        ("mailto:a@b.org", None),
        ("", "github"),
        (None, "github"),
    ],
)
def test_answers_that_are_not_links_are_not_links(text, site):
    assert absolute_url(text, site=site) is None


def test_links_in_free_text_become_absolute_and_words_stay():
    assert links_in("jane.dev, medium.com/@jane and a talk") == "https://jane.dev, https://medium.com/@jane and a talk"
