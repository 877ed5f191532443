package guildhall.search.compat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import org.elasticsearch.Build;
import org.elasticsearch.action.bulk.BulkItemResponse;
import org.elasticsearch.action.bulk.BulkRequest;
import org.elasticsearch.action.bulk.BulkResponse;
import org.elasticsearch.action.delete.DeleteRequest;
import org.elasticsearch.action.admin.indices.refresh.RefreshRequest;
import org.elasticsearch.action.search.ClearScrollRequest;
import org.elasticsearch.action.search.SearchRequest;
import org.elasticsearch.action.search.SearchResponse;
import org.elasticsearch.action.search.SearchScrollRequest;
import org.elasticsearch.action.support.IndicesOptions;
import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.common.Strings;
import org.elasticsearch.common.bytes.BytesArray;
import org.elasticsearch.core.TimeValue;
import org.elasticsearch.index.IndexVersion;
import org.elasticsearch.index.query.AbstractQueryBuilder;
import org.elasticsearch.index.query.QueryBuilder;
import org.elasticsearch.index.query.QueryBuilders;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.RestResponse;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.search.SearchHit;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentParser;

/** REST endpoints from modules that are not published to Maven Central for 8.x. */
final class CompatRest {

    private CompatRest() {}

    /** GET / and HEAD / (the rest-root module): what the clients read to identify the server. */
    static final class Main extends BaseRestHandler {
        private final Supplier<ClusterService> clusterService;

        Main(Supplier<ClusterService> clusterService) {
            this.clusterService = clusterService;
        }

        @Override
        public String getName() {
            return "main_action";
        }

        @Override
        public List<Route> routes() {
            return List.of(new Route(RestRequest.Method.GET, "/"), new Route(RestRequest.Method.HEAD, "/"));
        }

        @Override
        protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
            if (request.method() == RestRequest.Method.HEAD) {
                return channel -> channel.sendResponse(new RestResponse(RestStatus.OK, RestResponse.TEXT_CONTENT_TYPE, BytesArray.EMPTY));
            }
            return channel -> {
                ClusterService cs = clusterService.get();
                Build build = Build.current();
                XContentBuilder b = channel.newBuilder();
                b.startObject();
                b.field("name", cs.localNode().getName());
                b.field("cluster_name", cs.getClusterName().value());
                b.field("cluster_uuid", cs.state().metadata().clusterUUID());
                b.startObject("version")
                    .field("number", build.qualifiedVersion())
                    .field("build_flavor", build.flavor())
                    .field("build_type", build.type().displayName())
                    .field("build_hash", build.hash())
                    .field("build_date", build.date())
                    .field("build_snapshot", build.isSnapshot())
                    .field("lucene_version", IndexVersion.current().luceneVersion().toString())
                    .field("minimum_wire_compatibility_version", build.minWireCompatVersion())
                    .field("minimum_index_compatibility_version", build.minIndexCompatVersion())
                    .endObject();
                b.field("tagline", "You Know, for Search");
                b.endObject();
                channel.sendResponse(new RestResponse(RestStatus.OK, b));
            };
        }
    }

    /**
     * POST /{index}/_delete_by_query (the reindex module), done synchronously as scroll + bulk
     * delete. Supports query, max_docs, refresh, conflicts, scroll_size and the index options.
     */
    static final class DeleteByQuery extends BaseRestHandler {
        @Override
        public String getName() {
            return "delete_by_query_action";
        }

        @Override
        public List<Route> routes() {
            return List.of(new Route(RestRequest.Method.POST, "/{index}/_delete_by_query"));
        }

        @Override
        protected Set<String> responseParams() {
            return Set.of("wait_for_completion", "timeout", "slices", "requests_per_second", "scroll", "wait_for_active_shards");
        }

        @Override
        protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) throws IOException {
            String[] indices = Strings.splitStringByCommaToArray(request.param("index"));
            IndicesOptions options = IndicesOptions.fromRequest(request, IndicesOptions.strictExpandOpenAndForbidClosed());
            boolean refresh = request.paramAsBoolean("refresh", false);
            String conflicts = request.param("conflicts", "abort");
            int scrollSize = request.paramAsInt("scroll_size", 1000);
            int maxDocsParam = request.paramAsInt("max_docs", -1);
            String routing = request.param("routing");
            QueryBuilder query = QueryBuilders.matchAllQuery();
            int maxDocsBody = -1;
            if (request.hasContentOrSourceParam()) {
                try (XContentParser parser = request.contentOrSourceParamParser()) {
                    XContentParser.Token token = parser.nextToken();
                    if (token != XContentParser.Token.START_OBJECT) {
                        throw new IllegalArgumentException("request body must be an object");
                    }
                    while ((token = parser.nextToken()) == XContentParser.Token.FIELD_NAME) {
                        String field = parser.currentName();
                        parser.nextToken();
                        switch (field) {
                            case "query" -> query = AbstractQueryBuilder.parseTopLevelQuery(parser);
                            case "max_docs", "size" -> maxDocsBody = parser.intValue();
                            case "conflicts" -> conflicts = parser.text();
                            default -> throw new IllegalArgumentException("unknown field [" + field + "] in _delete_by_query");
                        }
                    }
                }
            }
            final QueryBuilder finalQuery = query;
            final int maxDocs = maxDocsParam >= 0 ? maxDocsParam : maxDocsBody;
            final boolean proceedOnConflict = "proceed".equals(conflicts);
            return channel -> client.threadPool().generic().execute(() -> {
                try {
                    long start = System.nanoTime();
                    long total = 0, deleted = 0, batches = 0, conflictsSeen = 0;
                    List<String> failures = new ArrayList<>();
                    SearchRequest search = new SearchRequest(indices).indicesOptions(options)
                        .scroll(TimeValue.timeValueMinutes(5))
                        .source(new SearchSourceBuilder().query(finalQuery).size(scrollSize).fetchSource(false).trackTotalHits(true));
                    if (routing != null) {
                        search.routing(routing);
                    }
                    SearchResponse page = client.search(search).actionGet();
                    String scrollId = null;
                    try {
                        while (true) {
                            scrollId = page.getScrollId();
                            SearchHit[] hits = page.getHits().getHits();
                            if (hits.length == 0 || (maxDocs >= 0 && total >= maxDocs)) {
                                break;
                            }
                            BulkRequest bulk = new BulkRequest();
                            for (SearchHit hit : hits) {
                                if (maxDocs >= 0 && total >= maxDocs) {
                                    break;
                                }
                                DeleteRequest delete = new DeleteRequest(hit.getIndex(), hit.getId());
                                if (hit.field("_routing") != null) {
                                    delete.routing(hit.field("_routing").getValue());
                                } else if (routing != null) {
                                    delete.routing(routing);
                                }
                                bulk.add(delete);
                                total++;
                            }
                            batches++;
                            BulkResponse response = client.bulk(bulk).actionGet();
                            for (BulkItemResponse item : response.getItems()) {
                                if (item.isFailed()) {
                                    if (item.getFailure().getStatus() == RestStatus.CONFLICT) {
                                        conflictsSeen++;
                                    } else {
                                        failures.add(item.getFailureMessage());
                                    }
                                } else if (item.getResponse().getResult() == org.elasticsearch.action.DocWriteResponse.Result.DELETED) {
                                    deleted++;
                                }
                            }
                            if (failures.isEmpty() == false || (conflictsSeen > 0 && proceedOnConflict == false)) {
                                break;
                            }
                            page.decRef();
                            page = client.searchScroll(new SearchScrollRequest(scrollId).scroll(TimeValue.timeValueMinutes(5))).actionGet();
                        }
                    } finally {
                        page.decRef();
                        if (scrollId != null) {
                            ClearScrollRequest clear = new ClearScrollRequest();
                            clear.addScrollId(scrollId);
                            client.clearScroll(clear).actionGet();
                        }
                    }
                    if (refresh) {
                        client.admin().indices().refresh(new RefreshRequest(indices).indicesOptions(options)).actionGet();
                    }
                    XContentBuilder b = channel.newBuilder();
                    b.startObject()
                        .field("took", (System.nanoTime() - start) / 1_000_000)
                        .field("timed_out", false)
                        .field("total", total)
                        .field("deleted", deleted)
                        .field("batches", batches)
                        .field("version_conflicts", conflictsSeen)
                        .field("noops", 0)
                        .startObject("retries").field("bulk", 0).field("search", 0).endObject()
                        .field("throttled_millis", 0)
                        .field("requests_per_second", -1.0)
                        .field("throttled_until_millis", 0)
                        .startArray("failures");
                    for (String failure : failures) {
                        b.startObject().field("cause", failure).endObject();
                    }
                    b.endArray().endObject();
                    RestStatus status = failures.isEmpty() && (conflictsSeen == 0 || proceedOnConflict) ? RestStatus.OK : RestStatus.CONFLICT;
                    channel.sendResponse(new RestResponse(status, b));
                } catch (Exception e) {
                    try {
                        channel.sendResponse(new RestResponse(channel, e));
                    } catch (IOException inner) {
                        e.addSuppressed(inner);
                    }
                }
            });
        }
    }
}
