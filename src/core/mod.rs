//! The pure core: domain types, validation, request building and error decoding.
//! Nothing here touches the DOM or the network, so it is tested natively.
