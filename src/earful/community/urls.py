from . import ambassador_urls, moderation_urls, people_urls, qa_urls

app_name = "community"

urlpatterns = (
    qa_urls.urlpatterns
    + people_urls.urlpatterns
    + moderation_urls.urlpatterns
    + ambassador_urls.urlpatterns
)
