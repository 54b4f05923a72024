import streamlit as st

st.header("Weather")
api_key = st.secrets.api.weather_key
st.write("Using the weather API key from secrets (not shown).")
