fn main() {
    println!("hookpanel-sandbox");
}
