# The Eventplane server image: build the shaded jar with Maven, run it on a JRE.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# Every module (.dockerignore keeps build output and data out), so a new module needs no edit here.
COPY . .
RUN mvn -B -q package -DskipTests

# Java 21: function instances run on the server's JVM when it is new enough (java11/17/21 runtimes).
FROM eclipse-temurin:21-jre
WORKDIR /opt/eventplane
COPY --from=build /src/server/target/eventplane.jar eventplane.jar
VOLUME /data
# 4566: the AWS endpoint; 5701/5702: cluster membership and event bus. Outside a container the
# bus port defaults to any free port; here it is fixed so that it can be published and firewalled.
ENV EVENTPLANE_CLUSTER_BUS_PORT=5702
EXPOSE 4566 5701 5702
ENTRYPOINT ["java", "-jar", "/opt/eventplane/eventplane.jar", "--bind", "0.0.0.0", "--data-dir", "/data"]
