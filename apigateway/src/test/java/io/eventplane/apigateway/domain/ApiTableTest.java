package io.eventplane.apigateway.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.apigateway.domain.ApiTable.Changes;
import io.eventplane.apigateway.store.ApiGatewayStore;
import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.eventplane.common.store.Durability;
import io.eventplane.common.store.Store;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The table written through the store and loaded back (what a restart or a new owner sees): owners
 * with what they own, deletions of an owner with everything under it, other partitions untouched;
 * and a partition not loaded here answers ServiceUnavailable, never "not found".
 */
class ApiTableTest {
  @TempDir
  Path dir;
  private final Vertx vertx = Vertx.vertx();
  private Store store;

  @AfterEach
  void close() {
    vertx.close().await();
    if (store != null) store.close();
  }

  private ApiTable table(Context context) {
    ApiGatewayStore s = new ApiGatewayStore(store, (partition, batch, ctx) -> store.commit(batch, ctx));
    return new ApiTable(vertx, context, s);
  }

  @Test
  void whatIsWrittenLoadsBackAndADeletedOwnerTakesItsChildren() {
    store = Store.open(dir, Durability.FSYNC, 100, List.of(ApiGatewayStore.COLUMN_FAMILY));
    Context context = vertx.getOrCreateContext();
    ApiTable table = table(context);
    table.load(5).await();
    table.load(6).await();
    table.apply(5, new Changes().putOwner("a/05aaaaaaaa", new JsonObject().put("Kind", "HTTP"))
        .putChild("a/05aaaaaaaa", "route", "r1", new JsonObject().put("RouteKey", "GET /a"))
        .putChild("a/05aaaaaaaa", "stage", "$default", new JsonObject().put("StageName", "$default"))
        .putOwner("a/05bbbbbbbb", new JsonObject().put("Kind", "HTTP"))
        .putChild("a/05bbbbbbbb", "route", "r2", new JsonObject().put("RouteKey", "GET /b"))).await();
    table.apply(6, new Changes().putOwner("a/06cccccccc", new JsonObject().put("Kind", "HTTP"))).await();
    assertThat(table.get(5, "a/05aaaaaaaa").child("route", "r1").getString("RouteKey")).isEqualTo("GET /a");

    ApiTable reloaded = table(context);
    reloaded.load(5).await();
    assertThat(reloaded.all(5)).hasSize(2);
    assertThat(reloaded.get(5, "a/05aaaaaaaa").record().getString("Owner")).isEqualTo("a/05aaaaaaaa");
    assertThat(reloaded.get(5, "a/05aaaaaaaa").children("stage")).containsOnlyKeys("$default");
    assertThat(reloaded.get(5, "a/05bbbbbbbb").child("route", "r2").getString("RouteKey")).isEqualTo("GET /b");

    table.apply(5, new Changes().deleteOwner("a/05aaaaaaaa").deleteChild("a/05bbbbbbbb", "route", "r2")).await();
    ApiTable after = table(context);
    after.load(5).await();
    after.load(6).await();
    assertThat(after.all(5)).extracting(ApiTable.Owner::key).containsExactly("a/05bbbbbbbb");
    assertThat(after.get(5, "a/05bbbbbbbb").children("route")).isEmpty();
    assertThat(after.all(6)).extracting(ApiTable.Owner::key).containsExactly("a/06cccccccc");
  }

  @Test
  void aPartitionNotLoadedHereIsUnavailable() {
    ApiTable table = new ApiTable(vertx, vertx.getOrCreateContext(), null);
    assertThat(table.get(3, "a/03aaaaaaaa")).isNull();
    assertThat(table.all(3)).isEmpty();
    assertThatThrownBy(() -> table.requireLoaded(3)).isInstanceOfSatisfying(ServiceException.class,
        e -> assertThat(e.error().code()).isEqualTo(ServiceError.UNAVAILABLE_CODE));
  }
}
